package org.eemqtt.broker.infrastructure;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.application.Cluster;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share groups' side of the cluster on a real (single-member) Hazelcast for its registry map; the frames it sends
 * to the other nodes are recorded instead of published, and their replies given by the test.
 */
class ClusterSharesTest {

    private static final String GROUP = "$share/g/t/+";

    private static HazelcastInstance hazelcast;

    private record Sent(List<String> nodes, ClusterFrames.Frame frame) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> handedOverHere = new CopyOnWriteArrayList<>();
    private final PendingReplies replies = new PendingReplies(5);
    private final ClusterShares shares = new ClusterShares(hazelcast, "n0", replies,
            (nodes, bytes) -> sent.add(new Sent(nodes, ClusterFrames.read(bytes))), () -> List.of("n1"));
    private IMap<String, Integer> registry;

    private final Cluster.Inbound inbound = new Cluster.Inbound() {
        @Override
        public CompletionStage<Integer> deliverForwarded(Message message, Predicate<SharedFilter> sharesHere) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public boolean deliverToShareGroup(Message message, SharedFilter group) {
            handedOverHere.add(group.topicFilter() + ": " + new String(message.payload(), StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public CompletionStage<Void> takenOverElsewhere(String clientId, boolean cleanStart, String node,
                                                          long moveId) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @BeforeAll
    static void startHazelcast() {
        Config config = new Config();
        config.setClusterName("cluster-shares-test-" + UUID.randomUUID());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(49940).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        hazelcast = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stopHazelcast() {
        if (hazelcast != null) {
            hazelcast.shutdown();
        }
    }

    @BeforeEach
    void emptyRegistry() {
        registry = hazelcast.getMap("eemqtt.shares");
        registry.clear();
    }

    private static Message message(String topic, QoS qos, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, PublishProperties.NONE, null);
    }

    private void membersOnN1(String group, int members, long requestId) {
        shares.received(ClusterFrames.read(ClusterFrames.shareMembers(requestId, "n1", group, members)), inbound);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private List<Sent> sentOfType(byte type) {
        return sent.stream().filter(s -> s.frame().type() == type).toList();
    }

    @Test
    void theFirstMemberHereWaitsForTheOtherNodesAndIsRegisteredForNodesJoiningLater() throws Exception {
        shares.start(node -> true);
        CompletableFuture<Void> first = shares.added(SharedFilter.parse(GROUP)).toCompletableFuture();

        Sent told = sentOfType(ClusterFrames.SHARE_MEMBERS).get(0);
        assertThat(told.nodes()).containsExactly("n1");
        assertThat(told.frame().text()).isEqualTo(GROUP);
        assertThat(told.frame().count()).isEqualTo(1);
        assertThat(first).as("no SUBACK before node n1 can choose this node").isNotDone();
        replies.replied(told.frame().requestId(), "n1", true, 0);
        assertThat(first).isDone();
        eventually(() -> Integer.valueOf(1).equals(registry.get("n0|" + GROUP))); // written asynchronously

        shares.removed(SharedFilter.parse(GROUP));
        assertThat(sentOfType(ClusterFrames.SHARE_MEMBERS).get(1).frame().count()).isZero();
        eventually(() -> !registry.containsKey("n0|" + GROUP));
    }

    @Test
    void aForwardTellsEachTargetTheGroupsItDeliversForAndWaitsForAllOfThem() {
        shares.start(node -> true);
        membersOnN1(GROUP, 1, 5);
        assertThat(sentOfType(ClusterFrames.REPLY)).singleElement().satisfies(reply -> {
            assertThat(reply.nodes()).containsExactly("n1");
            assertThat(reply.frame().requestId()).isEqualTo(5);
        });
        AtomicLong counted = new AtomicLong();

        // n2 has a non-shared subscriber; the group's only members are on n1
        Cluster.Forwarding forwarding = shares.forward(message("t/1", QoS.AT_LEAST_ONCE, "x"),
                new HashSet<>(Set.of("n2")), counted);

        List<Sent> forwards = sentOfType(ClusterFrames.FORWARD);
        assertThat(forwards).hasSize(2);
        forwards.forEach(f -> assertThat(f.frame().shares()).as("to %s", f.nodes())
                .isEqualTo(f.nodes().equals(List.of("n1")) ? Set.of(GROUP) : Set.of()));
        assertThat(forwarding.sharesHere().test(SharedFilter.parse(GROUP))).isFalse();
        assertThat(counted).hasValue(2);
        CompletableFuture<Integer> remote = forwarding.remote().toCompletableFuture();
        long id = forwards.get(0).frame().requestId();
        replies.replied(id, "n1", true, 1);
        assertThat(remote).as("n2 has not accepted it yet").isNotDone();
        replies.replied(id, "n2", true, 1);
        assertThat(remote).isCompletedWithValue(2);
    }

    @Test
    void aForwardForAGroupWithoutMembersHereAnyMoreGoesOnToANodeThatHasSome() {
        shares.start(node -> true);
        membersOnN1(GROUP, 2, 0);
        ClusterFrames.Frame forward = ClusterFrames.read(ClusterFrames.forward(9, "n1",
                message("t/1", QoS.AT_LEAST_ONCE, "late"), List.of(GROUP)));

        assertThat(shares.handOverMissing(forward)).as("the last member here left after n1 chose this node")
                .isEmpty();
        assertThat(sentOfType(ClusterFrames.SHARE_HANDOVER)).singleElement().satisfies(handOver -> {
            assertThat(handOver.nodes()).containsExactly("n1");
            assertThat(handOver.frame().text()).isEqualTo(GROUP);
            assertThat(handOver.frame().message().topic()).isEqualTo("t/1");
        });

        shares.added(SharedFilter.parse(GROUP));
        assertThat(shares.handOverMissing(forward)).containsExactly(GROUP);
        assertThat(sentOfType(ClusterFrames.SHARE_HANDOVER)).hasSize(1);

        shares.received(ClusterFrames.read(ClusterFrames.handOver("n1", message("t/2", QoS.AT_LEAST_ONCE, "back"),
                GROUP)), inbound);
        assertThat(handedOverHere).containsExactly(GROUP + ": back");
    }

    @Test
    void startReadsTheMembersOfNodesStillThereAndANodeThatLeavesTakesItsMembersAlong() {
        registry.put("n1|" + GROUP, 2);
        registry.put("gone|" + GROUP, 5);

        shares.start(node -> node.equals("n1"));
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shares.assign("t/1").forEach((node, groups) -> chosen.add(node));
        }
        assertThat(chosen).containsOnly("n1").hasSize(4);

        shares.nodeLeft("n1");
        assertThat(shares.assign("t/1")).isEmpty();
        assertThat(registry.keySet()).containsExactly("gone|" + GROUP);
    }
}
