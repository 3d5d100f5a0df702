package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster-wide view of share groups: which node delivers a message for each group, and what a node tells. */
class ClusterShareGroupsTest {

    private record Told(String group, int members, boolean confirmed) {
    }

    private final List<Told> told = new ArrayList<>();
    private final CompletableFuture<Void> confirmation = new CompletableFuture<>();
    private final ClusterShareGroups groups = new ClusterShareGroups("n0", (group, members, confirmed) -> {
        told.add(new Told(group, members, confirmed));
        return confirmed ? confirmation : CompletableFuture.completedFuture(null);
    });

    private static SharedFilter shared(String topicFilter) {
        return SharedFilter.parse(topicFilter);
    }

    /** How many of {@code messages} to {@code topic} each node delivers for {@code group}. */
    private Map<String, Integer> deliveries(String topic, String group, int messages) {
        Map<String, Integer> byNode = new HashMap<>();
        for (int i = 0; i < messages; i++) {
            groups.assign(topic).forEach((node, shares) -> {
                if (shares.contains(group)) {
                    byNode.merge(node, 1, Integer::sum);
                }
            });
        }
        return byNode;
    }

    @Test
    void eachMessageGoesToOneNodePerGroupInProportionToTheMembersThere() {
        groups.start();
        groups.added(shared("$share/g/a/+"));
        groups.remote("n1", "$share/g/a/+", 3);
        groups.remote("n2", "$share/other/a/#", 1);

        Map<String, List<String>> one = groups.assign("a/b");
        assertThat(one.values().stream().flatMap(List::stream)).as("each matching group once, in one node")
                .containsExactlyInAnyOrder("$share/g/a/+", "$share/other/a/#");
        assertThat(one.get("n2")).containsExactly("$share/other/a/#");

        // one member here, three on n1: every member gets a quarter
        assertThat(deliveries("a/b", "$share/g/a/+", 400)).containsOnly(Map.entry("n0", 100), Map.entry("n1", 300));
        assertThat(groups.assign("x/y")).isEmpty();
        assertThat(groups.assign("a/b/c")).containsOnlyKeys("n2");
    }

    @Test
    void membersThatLeaveOrANodeThatLeavesNoLongerGetTurns() {
        groups.start();
        groups.added(shared("$share/g/t"));
        groups.remote("n1", "$share/g/t", 2);
        groups.remote("n2", "$share/g/t", 1);

        groups.remote("n1", "$share/g/t", 0);
        assertThat(deliveries("t", "$share/g/t", 10)).containsOnly(Map.entry("n0", 5), Map.entry("n2", 5));
        groups.removeNode("n2");
        assertThat(deliveries("t", "$share/g/t", 10)).containsOnly(Map.entry("n0", 10));
        groups.removed(shared("$share/g/t"));
        assertThat(groups.assign("t")).as("no member anywhere").isEmpty();
    }

    @Test
    void theFirstMemberHereIsConfirmedByTheOtherNodesAndEveryChangeIsTold() {
        groups.added(shared("$share/g/t")); // a recovered session, before the cluster started: told at start
        assertThat(told).isEmpty();
        groups.start();
        assertThat(told).containsExactly(new Told("$share/g/t", 1, false));
        told.clear();

        CompletionStage<Void> first = groups.added(shared("$share/h/t"));
        CompletionStage<Void> second = groups.added(shared("$share/h/t"));
        assertThat(first.toCompletableFuture()).as("SUBACK waits until every node can choose this one").isNotDone();
        assertThat(second.toCompletableFuture()).as("the group is known: only its count changes").isDone();
        confirmation.complete(null);
        assertThat(first.toCompletableFuture()).isDone();
        groups.removed(shared("$share/h/t"));
        groups.removed(shared("$share/h/t"));
        assertThat(told).containsExactly(new Told("$share/h/t", 1, true), new Told("$share/h/t", 2, false),
                new Told("$share/h/t", 1, false), new Told("$share/h/t", 0, false));
    }

    @Test
    void aForwardNamesTheGroupsItsReceiverDeliversForAndMembersTravelInTheirFrame() {
        Message message = new Message("a/b", "x".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE, null, 0);

        ClusterFrames.Frame forward = ClusterFrames.read(ClusterFrames.forward(7, "n0", message,
                List.of("$share/g/a/+", "$share/h/#")));
        assertThat(forward.message().topic()).isEqualTo("a/b");
        assertThat(forward.shares()).containsExactlyInAnyOrder("$share/g/a/+", "$share/h/#");
        assertThat(ClusterFrames.read(ClusterFrames.forward(7, "n0", message)).shares()).isEmpty();

        ClusterFrames.Frame handOver = ClusterFrames.read(ClusterFrames.handOver("n0", message, "$share/g/a/+"));
        assertThat(handOver.type()).isEqualTo(ClusterFrames.SHARE_HANDOVER);
        assertThat(handOver.requestId()).as("not confirmed").isZero();
        assertThat(handOver.message().topic()).isEqualTo("a/b");
        assertThat(handOver.text()).isEqualTo("$share/g/a/+");

        ClusterFrames.Frame members = ClusterFrames.read(ClusterFrames.shareMembers(3, "n1", "$share/g/a/+", 4));
        assertThat(members.type()).isEqualTo(ClusterFrames.SHARE_MEMBERS);
        assertThat(members.text()).isEqualTo("$share/g/a/+");
        assertThat(members.count()).isEqualTo(4);
        assertThat(members.requestId()).isEqualTo(3);
    }

    @Test
    void aMessageNoMemberHereCanTakeGoesToAnotherNodeWithMembersOfItsGroup() {
        groups.start();
        groups.added(shared("$share/g/t"));
        assertThat(groups.otherNode("$share/g/t")).as("no other node has members").isNull();
        groups.remote("n1", "$share/g/t", 1);
        groups.remote("n2", "$share/g/t", 3);

        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            chosen.merge(groups.otherNode("$share/g/t"), 1, Integer::sum);
        }
        assertThat(chosen).containsOnly(Map.entry("n1", 2), Map.entry("n2", 6));
        assertThat(groups.localMembers("$share/g/t")).isEqualTo(1);
        assertThat(groups.otherNode("$share/unknown/t")).isNull();
    }
}
