package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Subscription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of a session's move between nodes, against a cluster that records what it is asked. */
class MovingSessionsTest {

    /** Records filter counts, relays and arrivals. */
    private static final class Recording extends SingleNodeCluster {
        final List<String> wanted = new ArrayList<>();
        final List<String> unwanted = new ArrayList<>();
        final List<String> relayed = new ArrayList<>();
        final List<String> arrived = new ArrayList<>();
        /** Completes when the old node stopped relaying: left to the test. */
        final CompletableFuture<Void> moveEnded = new CompletableFuture<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public CompletionStage<Void> filterAdded(String filter) {
            wanted.add(filter);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void filterRemoved(String filter) {
            unwanted.add(filter);
        }

        @Override
        public CompletionStage<Integer> relay(String node, String clientId, Message message) {
            relayed.add(node + " " + clientId + " " + message.topic());
            return CompletableFuture.completedFuture(1);
        }

        @Override
        public CompletionStage<Void> arrived(String clientId) {
            arrived.add(clientId);
            return moveEnded;
        }
    }

    private final Recording cluster = new Recording();
    private final MovingSessions moving = new MovingSessions(cluster);

    private static Message message(String topic, String clusterId) {
        return new Message(topic, new byte[]{1}, QoS.AT_LEAST_ONCE, false, PublishProperties.NONE, "pub", 0L,
                clusterId);
    }

    private static List<Subscription> subscriptions(String clientId, String... filters) {
        List<Subscription> list = new ArrayList<>();
        for (String filter : filters) {
            list.add(new Subscription(clientId, filter, QoS.AT_LEAST_ONCE, false, false, 0, 0));
        }
        return list;
    }

    @Test
    void aDepartedSessionsFiltersStayWantedAndMatchingMessagesAreRelayedUntilItsOwnMoveIsReleased() {
        moving.departed("x", "n1", 7, subscriptions("x", "a/#", "$share/g/b", "c/+"));

        assertThat(cluster.wanted).as("shared filters are not relayed").containsExactly("a/#", "c/+");
        assertThat(moving.relay(message("a/1", "n0/1"), Set.of())).isCompletedWithValue(1);
        assertThat(moving.relay(message("b", "n0/2"), Set.of())).isCompletedWithValue(0);
        assertThat(moving.relay(message("c/2", "n0/3"), Set.of("x"))).as("a session here took it")
                .isCompletedWithValue(0);
        assertThat(cluster.relayed).containsExactly("n1 x a/1");

        moving.released("x", 6); // an earlier move's end: not this one
        assertThat(cluster.unwanted).isEmpty();
        moving.released("x", 7);
        assertThat(cluster.unwanted).containsExactly("a/#", "c/+");
        assertThat(moving.relay(message("a/2", "n0/4"), Set.of())).isCompletedWithValue(0);
    }

    @Test
    void anArrivingSessionGetsEachPublicationOnce() {
        moving.arriving("x");

        assertThat(moving.admits("x", message("t", "n0/1"))).isTrue();
        assertThat(moving.admits("x", message("t", "n0/1"))).as("the same publication again").isFalse();
        assertThat(moving.admits("x", message("t", "n1/1"))).isTrue();
        assertThat(moving.admits("y", message("t", "n0/1"))).as("another session").isTrue();
        assertThat(moving.admits("x", message("t", null))).as("no cluster-wide name").isTrue();
        moving.arrived("x");
        cluster.moveEnded.complete(null);
        assertThat(moving.admits("x", message("t", "n0/1"))).as("still deduplicated for a grace period")
                .isFalse();
    }

    /**
     * Relayed messages wait for the restore and keep their order; messages routed here directly wait until the old
     * node stopped relaying, so that each publisher's messages arrive in order: the relayed ones came first.
     */
    @Test
    void relayedMessagesWaitForTheRestoreAndDirectOnesForTheEndOfTheRelayEachInOrder() {
        List<String> delivered = new ArrayList<>();
        moving.arriving("x");
        CompletableFuture<Integer> first = moving.afterRestore("x", () -> deliver(delivered, "relayed 1"))
                .toCompletableFuture();
        moving.afterRestore("x", () -> deliver(delivered, "relayed 2"));
        CompletableFuture<Integer> direct = moving.afterSettle("x", () -> deliver(delivered, "direct 1"))
                .toCompletableFuture();
        assertThat(moving.afterSettle("y", () -> deliver(delivered, "not arriving"))).as("route it now").isNull();
        assertThat(first).isNotDone();

        moving.arrived("x");
        assertThat(first).isCompletedWithValue(1);
        moving.afterRestore("x", () -> deliver(delivered, "relayed 3"));
        moving.afterSettle("x", () -> deliver(delivered, "direct 2"));
        assertThat(delivered).containsExactly("relayed 1", "relayed 2", "relayed 3");
        assertThat(direct).as("its publisher waits").isNotDone();

        cluster.moveEnded.complete(null);
        assertThat(delivered).containsExactly("relayed 1", "relayed 2", "relayed 3", "direct 1", "direct 2");
        assertThat(direct).isCompletedWithValue(1);
        assertThat(moving.afterSettle("x", () -> deliver(delivered, "direct 3"))).as("settled: route it now")
                .isNull();
    }

    private static CompletionStage<Integer> deliver(List<String> delivered, String what) {
        delivered.add(what);
        return CompletableFuture.completedFuture(1);
    }

    @Test
    void aSessionThatLeavesAgainTakesWhatItGotHereAlongAndWhatWaitedForItFollowsIt() {
        moving.arriving("x");
        moving.admits("x", message("a/1", "n2/1"));
        moving.afterRestore("x", () -> moving.relayOnward("x", message("a/1", "n2/3")));
        moving.afterSettle("x", () -> moving.relayOnward("x", message("a/1", "n2/4")));

        moving.departed("x", "n0", 3, subscriptions("x", "a/#"));

        assertThat(cluster.relayed).as("what waited went on, in order").containsExactly("n0 x a/1", "n0 x a/1");
        assertThat(moving.relayOnward("x", message("a/1", "n2/1"))).as("it got this one here")
                .isCompletedWithValue(0);
        assertThat(moving.relayOnward("x", message("a/1", "n2/2"))).isCompletedWithValue(1);
        assertThat(moving.relayOnward("y", message("a/1", "n2/2"))).as("never here").isNull();
    }

    @Test
    void aSessionComingBackOrItsNewNodeLeavingEndsTheRelay() {
        moving.departed("x", "n1", 1, subscriptions("x", "a/#"));
        moving.departed("y", "n2", 2, subscriptions("y", "b/#"));

        moving.arriving("x");
        moving.nodeGone("n2");

        assertThat(cluster.unwanted).containsExactly("a/#", "b/#");
        assertThat(moving.relay(message("a/1", "n0/1"), Set.of())).isCompletedWithValue(0);
        assertThat(moving.relay(message("b/1", "n0/2"), Set.of())).isCompletedWithValue(0);
        assertThat(cluster.relayed).isEmpty();
    }
}
