package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.application.UserConnection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The users API's cluster frames and the status question's wait for every node's data. */
class UserClusterFramesTest {

    @Test
    void usersConnectionsSurviveTheReplyFrame() {
        Map<String, List<UserConnection>> sent = new LinkedHashMap<>();
        sent.put("ann", List.of(new UserConnection("c1", Instant.ofEpochSecond(100, 5), "/127.0.0.1:5", "V5", "n1"),
                new UserConnection("c2", Instant.ofEpochSecond(200), null, "V3_1_1", "n1")));
        sent.put("bob", List.of());

        ClusterFrames.Frame frame = ClusterFrames.read(ClusterFrames.dataReply(7, "n1", UserConnections.write(sent)));

        assertThat(frame.type()).isEqualTo(ClusterFrames.DATA_REPLY);
        assertThat(frame.requestId()).isEqualTo(7);
        assertThat(UserConnections.read(frame.data())).isEqualTo(sent);
    }

    @Test
    void userRequestsCarryTheirNames() {
        ClusterFrames.Frame status = ClusterFrames.read(ClusterFrames.text(ClusterFrames.USER_STATUS, 3, "n0",
                "ann\nbob"));
        assertThat(status.type()).isEqualTo(ClusterFrames.USER_STATUS);
        assertThat(status.text().split("\n")).containsExactly("ann", "bob");
        ClusterFrames.Frame removed = ClusterFrames.read(ClusterFrames.text(ClusterFrames.USER_REMOVED, 4, "n0",
                "ann"));
        assertThat(removed.type()).isEqualTo(ClusterFrames.USER_REMOVED);
        assertThat(removed.text()).isEqualTo("ann");
    }

    @Test
    void aCollectCompletesWithEachNodesDataOnceAllRepliedOrLeft() throws Exception {
        PendingReplies replies = new PendingReplies(5);
        long[] id = {0};
        CompletableFuture<Map<String, byte[]>> done = replies.collect(List.of("n1", "n2", "n3"), sent -> id[0] = sent);

        replies.replied(id[0], "n1", new byte[]{1});
        replies.replied(id[0], "stranger", new byte[]{9}); // not asked: ignored
        assertThat(done).isNotDone();
        replies.nodeLeft("n3");
        assertThat(done).isNotDone();
        replies.replied(id[0], "n2", new byte[]{2});

        Map<String, byte[]> got = done.get(1, TimeUnit.SECONDS);
        assertThat(got).containsOnlyKeys("n1", "n2");
        assertThat(got.get("n2")).containsExactly(2);
    }

    @Test
    void aSilentMemberFailsTheCollect() {
        PendingReplies replies = new PendingReplies(1);
        CompletableFuture<Map<String, byte[]>> done = replies.collect(List.of("n1"), sent -> { });
        assertThat(done).failsWithin(3, TimeUnit.SECONDS);
    }
}
