package org.eemqtt.broker.application;

import jakarta.persistence.EntityManagerFactory;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.infrastructure.JpaSessionStore;
import org.eemqtt.broker.infrastructure.JpaStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/**
 * Two nodes of a cluster sharing one real database (H2 in memory, each node with its own persistence unit and
 * store, as two processes would have): sessions move with their clients, and the sessions of a node that is gone
 * are adopted by the other. The cluster between them is a direct link that plays Hazelcast's part.
 */
class SessionMoveTest {

    /** One node's view of the cluster: the other node is called directly. */
    static final class Link extends SingleNodeCluster {
        final String id;
        final Set<String> live;
        final Map<String, String> holders;
        Link other;
        Cluster.Inbound inbound;
        private final AtomicLong moves = new AtomicLong();
        private final Map<String, Long> claimed = new ConcurrentHashMap<>();
        /** Runs once the other node handed a session over to this one, before this node reads it. */
        volatile Runnable afterHandOver = () -> { };
        /** Whether {@link #arrived} leaves the old node relaying until {@link #endHeldMoves}. */
        volatile boolean holdMoveEnd;
        /** What {@link #arrived} returned while moves were held: completes in {@link #endHeldMoves}. */
        private final CompletableFuture<Void> heldMovesEnded = new CompletableFuture<>();

        Link(String id, Set<String> live, Map<String, String> holders) {
            this.id = id;
            this.live = live;
            this.holders = holders;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public String nodeId() {
            return id;
        }

        @Override
        public Set<String> liveNodes() {
            return Set.copyOf(live);
        }

        @Override
        public boolean oldest() {
            return live.iterator().next().equals(id);
        }

        @Override
        public void start(Inbound handler, ScheduledExecutorService scheduler) {
            inbound = handler;
        }

        @Override
        public CompletionStage<Integer> forward(Message message) {
            return live.contains(other.id) ? other.inbound.deliverForwarded(message)
                    : CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletionStage<Void> claimClient(String clientId, boolean cleanStart) {
            String previous = holders.put(clientId, id);
            if (previous == null || previous.equals(id) || !live.contains(previous)) {
                return CompletableFuture.completedFuture(null);
            }
            long move = moves.incrementAndGet();
            if (!cleanStart) {
                claimed.put(clientId, move);
            }
            return other.inbound.takenOverElsewhere(clientId, cleanStart, id, move)
                    .thenRun(() -> afterHandOver.run());
        }

        @Override
        public CompletionStage<Integer> relay(String node, String clientId, Message message) {
            return other.inbound.deliverRelayed(clientId, message);
        }

        /** Two nodes on a direct link need no fence: what one sent the other has arrived. */
        @Override
        public CompletionStage<Void> arrived(String clientId) {
            if (!holdMoveEnd) {
                endHeldMoves();
                return CompletableFuture.completedFuture(null);
            }
            return heldMovesEnded;
        }

        /** Tells the other node that the moves to this one ended: it stops relaying. */
        void endHeldMoves() {
            holdMoveEnd = false;
            claimed.forEach((clientId, move) -> {
                if (claimed.remove(clientId, move) && live.contains(other.id)) {
                    other.inbound.moveEnded(clientId, move);
                }
            });
            heldMovesEnded.complete(null);
        }

        @Override
        public void releaseClient(String clientId) {
            holders.remove(clientId, id);
        }
    }

    private final String url = "jdbc:h2:mem:moves-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final Set<String> live = new LinkedHashSet<>(List.of(nodeId(0), nodeId(1)));
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Link link1;
    private final TestBroker node0;
    private final TestBroker node1;

    SessionMoveTest() {
        Link link0 = new Link(nodeId(0), live, holders);
        link1 = new Link(nodeId(1), live, holders);
        link0.other = link1;
        link1.other = link0;
        node0 = new TestBroker(store(0), link0);
        node1 = new TestBroker(store(1), link1);
    }

    /** Node {@code node}'s id in the cluster (a subclass on another store names its nodes as that store needs). */
    String nodeId(int node) {
        return "n" + node;
    }

    /** Node {@code node}'s store: here each node's own persistence unit on the one database. */
    SessionStore store(int node) {
        EntityManagerFactory factory = JpaStorage.openFactory(url, "sa", "");
        JpaSessionStore store = new JpaSessionStore(factory, Executors.defaultThreadFactory(), true);
        closing.add(factory::close);
        closing.add(store);
        return store;
    }

    @AfterEach
    void close() throws Exception {
        node0.close();
        node1.close();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A persistent session on node 0, subscribed to {@code m/#} at QoS 1, whose client went away. */
    private void offlineOnNode0(String clientId) {
        TestClient subscriber = node0.connect(v5(clientId).persistent());
        subscriber.subscribe("m/#", AT_LEAST_ONCE);
        subscriber.disconnect();
    }

    /** Publishes QoS 1 messages and waits for every PUBACK (the copies are stored by then). */
    private static void publishAll(TestClient publisher, String... payloads) {
        int before = publisher.sent(PubAckPacket.class).size();
        for (String payload : payloads) {
            publisher.publish("m/a", payload, AT_LEAST_ONCE);
        }
        await("PUBACKs", () -> publisher.sent(PubAckPacket.class).size() == before + payloads.length);
    }

    @Test
    void anOfflineSessionMovesWithItsSubscriptionsAndQueuedMessagesInOrder() {
        offlineOnNode0("mover");
        TestClient remote = node1.connect(v5("pub1"));
        TestClient local = node0.connect(v5("pub0"));
        publishAll(remote, "1", "2");
        publishAll(local, "3");
        publishAll(remote, "4");

        TestClient moved = node1.connect(v5("mover").persistent());

        assertThat(moved.connAck().sessionPresent()).isTrue();
        await("4 messages", () -> moved.publishes().size() >= 4);
        assertThat(moved.payloads()).containsExactly("1", "2", "3", "4");
        assertThat(node0.sessions.get("mover")).as("gone from the old node").isNull();
        moved.publishes().forEach(p -> moved.pubAck(p.packetId()));

        // subscribed on its new node: a message published on the old one reaches it there
        moved.clear();
        publishAll(local, "5");
        await("message 5", () -> moved.payloads().contains("5"));
    }

    /**
     * The known window (README "Cluster"): node 0 has handed the session over and node 1 has not read it yet. A
     * message published then on either node is acknowledged, so it must reach the moved session, once.
     */
    @Test
    void aMessagePublishedOnEitherNodeWhileTheSessionIsBetweenThemReachesItOnce() {
        offlineOnNode0("between");
        TestClient on0 = node0.connect(v5("pub0"));
        TestClient on1 = node1.connect(v5("pub1"));
        link1.afterHandOver = () -> {
            link1.afterHandOver = () -> { };
            // not waiting for the PUBACKs here: they wait for the session to be restored on node 1
            on0.publish("m/a", "on the old node", AT_LEAST_ONCE);
            on1.publish("m/a", "on the new node", AT_LEAST_ONCE);
        };

        TestClient moved = node1.connect(v5("between").persistent());

        assertThat(moved.connAck().sessionPresent()).isTrue();
        await("both PUBACKs", () -> on0.sent(PubAckPacket.class).size() == 1
                && on1.sent(PubAckPacket.class).size() == 1);
        await("both messages", () -> moved.publishes().size() >= 2);
        publishAll(on0, "after");
        await("the message after the move", () -> moved.payloads().contains("after"));
        assertThat(moved.payloads()).containsExactlyInAnyOrder("on the old node", "on the new node", "after");
    }

    /**
     * Until the old node stops relaying, a message published on either node reaches the moved session twice over:
     * relayed, and directly (forwarded, or published on the new node). The session gets each once, relayed first;
     * the direct ones, and so their PUBACKs, wait until the old node stopped relaying.
     */
    @Test
    void aMessageThatArrivesBothRelayedAndDirectlyIsDeliveredOnce() {
        offlineOnNode0("twice");
        TestClient on0 = node0.connect(v5("pub0"));
        TestClient on1 = node1.connect(v5("pub1"));
        link1.holdMoveEnd = true;

        TestClient moved = node1.connect(v5("twice").persistent());
        assertThat(moved.connAck().sessionPresent()).isTrue();
        on0.publish("m/a", "from the old node", AT_LEAST_ONCE);
        on1.publish("m/a", "from the new node", AT_LEAST_ONCE);
        await("both, relayed", () -> moved.publishes().size() >= 2);
        assertThat(on0.sent(PubAckPacket.class)).as("the direct copy waits for the end of the move").isEmpty();
        link1.endHeldMoves();
        await("both PUBACKs", () -> on0.sent(PubAckPacket.class).size() == 1
                && on1.sent(PubAckPacket.class).size() == 1);
        publishAll(on0, "after the move");

        await("the message after the move", () -> moved.payloads().contains("after the move"));
        assertThat(moved.payloads()).containsExactly("from the old node", "from the new node", "after the move");
    }

    @Test
    void aConnectedSessionWithAnUnacknowledgedMessageMovesAndTheMessageIsResentWithDup() {
        TestClient subscriber = node0.connect(v311("inflight").persistent());
        subscriber.subscribe("m/#", AT_LEAST_ONCE);
        TestClient publisher = node1.connect(v5("pub"));
        publishAll(publisher, "unacked");
        await("delivered on node 0", () -> subscriber.publishes().size() == 1);

        TestClient moved = node1.connect(v311("inflight").persistent());

        assertThat(subscriber.transport.closes()).as("the old connection is closed").isNotEmpty();
        assertThat(moved.connAck().sessionPresent()).isTrue();
        await("re-sent", () -> moved.publishes().size() == 1);
        PublishPacket again = moved.publishes().get(0);
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(subscriber.publishes().get(0).packetId());
        assertThat(new String(again.payload())).isEqualTo("unacked");
    }

    @Test
    void theOldConnectionOfAMovedV5SessionIsClosedWithSessionTakenOver() {
        TestClient subscriber = node0.connect(v5("taken").persistent());
        node1.connect(v5("taken").persistent());
        assertThat(subscriber.transport.closes()).singleElement().satisfies(close -> assertThat(close.lastPacket())
                .isInstanceOfSatisfying(DisconnectPacket.class, d -> assertThat(d.reasonCode())
                        .isEqualTo(DisconnectReasonCode.SESSION_TAKEN_OVER)));
    }

    @Test
    void aCleanStartOnTheOtherNodeDiscardsTheSession() {
        offlineOnNode0("cleaned");
        publishAll(node1.connect(v5("pub")), "dropped");

        TestClient clean = node1.connect(v5("cleaned").persistent().cleanStart(true));
        assertThat(clean.connAck().sessionPresent()).isFalse();
        assertThat(clean.publishes()).isEmpty();
        // a new session without the old subscription: nothing published now reaches it
        publishAll(node0.connect(v5("pub0")), "after");
        clean.disconnect();
        TestClient again = node0.connect(v5("cleaned").persistent());

        assertThat(again.connAck().sessionPresent()).as("the new session moved back").isTrue();
        assertThat(again.publishes()).isEmpty();
    }

    @Test
    void aCleanStartOnTheOtherNodeEndsTheSessionAndPublishesItsDelayedWillThere() {
        TestClient watcher = node1.connect(v5("watcher"));
        watcher.subscribe("wills/#", AT_LEAST_ONCE);
        TestClient first = node0.connect(v5("delayed").persistent().will("wills/delayed", "gone", AT_LEAST_ONCE,
                false, 60));

        node1.connect(v5("delayed").persistent().cleanStart(true));
        first.lose(); // the old node's transport reports the close it was asked for, as the real one does

        // 5.0 3.1.3.2.2: the session ended, so its will is due although its delay is 60 s (as on one node)
        await("the delayed will", () -> watcher.payloads().contains("gone"));
    }

    @Test
    void aSessionResumedOnTheOtherNodeKeepsItsDelayedWillUnpublished() {
        TestClient watcher = node1.connect(v5("watcher"));
        watcher.subscribe("wills/#", AT_LEAST_ONCE);
        watcher.subscribe("m/#", AT_LEAST_ONCE);
        TestClient first = node0.connect(v5("resumed").persistent().will("wills/resumed", "gone", AT_LEAST_ONCE,
                false, 60));

        TestClient moved = node1.connect(v5("resumed").persistent());
        first.lose();

        assertThat(moved.connAck().sessionPresent()).isTrue();
        publishAll(node0.connect(v5("pub0")), "control");
        await("the control message", () -> watcher.payloads().contains("control"));
        assertThat(watcher.payloads()).as("the client is back: no will").containsExactly("control");
    }

    @Test
    void theSessionsOfANodeThatIsGoneAreAdoptedWithTheirMessagesAndTheWillOfAnOpenConnection() {
        offlineOnNode0("orphan");
        TestClient willWatcher = node1.connect(v5("watcher"));
        willWatcher.subscribe("wills/#", AT_LEAST_ONCE);
        node0.connect(v5("dying").persistent().will("wills/dying", "gone", AT_LEAST_ONCE, false, 0));
        publishAll(node1.connect(v5("pub")), "kept");

        live.remove(nodeId(0)); // node 0 is killed: nothing of it runs any more
        node1.inbound.nodeLeft(nodeId(0));

        await("the will of the open connection", () -> willWatcher.payloads().contains("gone"));
        TestClient back = node1.connect(v5("orphan").persistent());
        assertThat(back.connAck().sessionPresent()).isTrue();
        await("the queued message", () -> back.payloads().contains("kept"));
    }
}
