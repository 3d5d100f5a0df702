package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.broker.domain.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast-free parts of the cluster: frames, the view of other nodes' filters, waiting for replies. */
class ClusterPartsTest {

    @Test
    void aForwardedMessageSurvivesTheFrameWithEveryField() {
        PublishProperties properties = new PublishProperties(1, 30L, 7, "reply/to", new byte[]{1, 2},
                List.of(new UserProperty("k", "v"), new UserProperty("k", "v2")), List.of(3), "text/plain");
        Message sent = new Message("a/b", "héllo".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, true,
                properties.forSubscriber(List.of()), "publisher-1", 1234L);

        ClusterFrames.Frame frame = ClusterFrames.read(ClusterFrames.forward(42, "node-a", sent));

        assertThat(frame.type()).isEqualTo(ClusterFrames.FORWARD);
        assertThat(frame.requestId()).isEqualTo(42);
        assertThat(frame.origin()).isEqualTo("node-a");
        Message got = frame.message();
        assertThat(got.topic()).isEqualTo("a/b");
        assertThat(got.payload()).isEqualTo(sent.payload());
        assertThat(got.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(got.retain()).isTrue();
        assertThat(got.publisherClientId()).isEqualTo("publisher-1");
        assertThat(got.expiresAtMillis()).isEqualTo(1234L);
        assertThat(got.properties().userProperties()).containsExactly(new UserProperty("k", "v"),
                new UserProperty("k", "v2"));
        assertThat(got.properties().responseTopic()).isEqualTo("reply/to");
        assertThat(got.properties().correlationData()).containsExactly(1, 2);
        assertThat(got.properties().contentType()).isEqualTo("text/plain");
        assertThat(got.properties().payloadFormatIndicator()).isEqualTo(1);
    }

    @Test
    void aRelayNamesItsSessionAndKeepsThePublicationsClusterWideName() {
        Message sent = new Message("a/b", new byte[]{7}, QoS.AT_LEAST_ONCE, false, PublishProperties.NONE, null, 0L,
                "node-a/17");

        ClusterFrames.Frame relay = ClusterFrames.read(ClusterFrames.relay(9, "node-b", "moving client", sent));
        ClusterFrames.Frame forward = ClusterFrames.read(ClusterFrames.forward(10, "node-a", sent));
        ClusterFrames.Frame unnamed = ClusterFrames.read(ClusterFrames.forward(11, "node-a", sent.withClusterId(null)));
        ClusterFrames.Frame release = ClusterFrames.read(ClusterFrames.text(ClusterFrames.RELEASE, 12, "node-b",
                "5 moving client"));

        assertThat(relay.type()).isEqualTo(ClusterFrames.RELAY);
        assertThat(relay.text()).isEqualTo("moving client");
        assertThat(relay.message().clusterId()).isEqualTo("node-a/17");
        assertThat(relay.message().payload()).containsExactly(7);
        assertThat(forward.message().clusterId()).isEqualTo("node-a/17");
        assertThat(unnamed.message().clusterId()).isNull();
        assertThat(release.type()).isEqualTo(ClusterFrames.RELEASE);
        assertThat(release.text()).isEqualTo("5 moving client");
    }

    @Test
    void messagesWithoutPropertiesOrPublisherAndOtherFramesRoundTrip() {
        Message bare = new Message("t", new byte[0], QoS.AT_MOST_ONCE, false, PublishProperties.NONE, null, 0);
        Message got = ClusterFrames.message(ClusterFrames.message(bare));
        assertThat(got.properties()).isEqualTo(PublishProperties.NONE);
        assertThat(got.publisherClientId()).isNull();
        assertThat(got.payload()).isEmpty();

        ClusterFrames.Frame take = ClusterFrames.read(ClusterFrames.text(ClusterFrames.TAKE_OVER, 5, "n", "client"));
        assertThat(take.type()).isEqualTo(ClusterFrames.TAKE_OVER);
        assertThat(take.text()).isEqualTo("client");
        ClusterFrames.Frame reply = ClusterFrames.read(ClusterFrames.reply(5, "m", false, 3));
        assertThat(reply.ok()).isFalse();
        assertThat(reply.count()).isEqualTo(3);
        assertThat(reply.origin()).isEqualTo("m");
    }

    @Test
    void onlyNodesWithAMatchingFilterAreTargets() {
        RemoteFilters filters = new RemoteFilters();
        filters.add("n1", "a/+");
        filters.add("n2", "a/b");
        filters.add("n2", "#");
        filters.add("n3", "x/#");

        assertThat(filters.nodesFor("a/b")).containsExactlyInAnyOrder("n1", "n2");
        assertThat(filters.nodesFor("x/y")).containsExactlyInAnyOrder("n2", "n3");
        assertThat(filters.nodesFor("$SYS/x")).as("wildcards do not match $ topics").isEmpty();

        filters.remove("n2", "#");
        assertThat(filters.nodesFor("x/y")).containsExactly("n3");
        filters.removeNode("n1");
        assertThat(filters.nodesFor("a/b")).containsExactly("n2");
        assertThat(filters.nodesFor("a/c")).isEmpty();
    }

    @Test
    void aRequestToStoreAMessageFailsWhenATargetNodeLeavesBeforeItConfirmed() {
        PendingReplies replies = new PendingReplies(5);
        CompletableFuture<Integer> request = replies.requestStored(List.of("n1", "n2"), id -> { });
        replies.nodeLeft("n3"); // not a target
        assertThat(request).isNotDone();

        replies.nodeLeft("n2");

        assertThat(request).isCompletedExceptionally();
    }

    @Test
    void aRequestCompletesWithTheSumOnceEveryNodeRepliedOrLeft() throws Exception {
        PendingReplies replies = new PendingReplies(5);
        List<Long> sentIds = new ArrayList<>();
        CompletableFuture<Integer> request = replies.request(List.of("n1", "n2", "n3"), sentIds::add);
        long id = sentIds.get(0);

        replies.replied(id, "n1", true, 2);
        replies.replied(id, "n1", true, 2); // a duplicate reply counts once
        assertThat(request).isNotDone();
        replies.nodeLeft("n3");
        assertThat(request).isNotDone();
        replies.replied(id, "n2", true, 1);
        assertThat(request.get(1, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aRefusalOrASilentMemberFailsTheRequest() {
        PendingReplies replies = new PendingReplies(1);
        List<Long> ids = new ArrayList<>();
        CompletableFuture<Integer> refused = replies.request(List.of("n1"), ids::add);
        replies.replied(ids.get(0), "n1", false, 0);
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        CompletableFuture<Integer> silent = replies.request(List.of("n2"), ids::add);
        assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("did not confirm");
    }
}
