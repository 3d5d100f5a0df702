package org.eemqtt.broker.application;

import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Persistent sessions in a cluster whose nodes share one store ({@link SessionStore#shareWith}): a session lives in
 * the memory of one node, its owner, and moves with its client.
 * <ul>
 * <li>Start: the oldest node adopts every stored session no live node owns (a restart of the whole cluster, or
 *     nodes that are gone); a node that joins a running cluster adopts nothing. Without a shared store (one node,
 *     or a database file per node) the node restores everything it stored, as before clustering.</li>
 * <li>A node left (stopped, or killed): the oldest remaining node adopts its sessions, as at a start: subscriptions
 *     active again, queued and in-flight copies kept, expiry timers, and the will of a connection that was open
 *     published after its delay.</li>
 * <li>A client connects here while another node holds its session: that node closes the connection (0x8E), makes
 *     its writes about the session durable and forgets it ({@link SessionStore#handOver}); only then does its
 *     takeover reply arrive, and this node reads the session ({@link SessionStore#takeSession}) and restores it
 *     before CONNACK, which then says Session Present 1. A clean start reads nothing: the store deletes it.</li>
 * </ul>
 * Messages routed while the session is between the nodes are relayed by the old node and delivered once here:
 * {@link MovingSessions}.
 */
final class SessionMoves {

    private static final Logger LOG = Logger.getLogger(SessionMoves.class.getName());

    private final SessionStore store;
    private final Cluster cluster;
    private final SessionRegistry sessions;
    private final MessageRouter router;
    private final RetainedMessages retained;
    private final ConnectFlow connectFlow;
    private volatile boolean shared;

    SessionMoves(SessionStore store, Cluster cluster, SessionRegistry sessions, MessageRouter router,
                 RetainedMessages retained, ConnectFlow connectFlow) {
        this.store = store;
        this.cluster = cluster;
        this.sessions = sessions;
        this.router = router;
        this.retained = retained;
        this.connectFlow = connectFlow;
    }

    /** At start, before clients are served: restores what this node is to hold. */
    void start() {
        shared = cluster.enabled() && store.shareWith(cluster.nodeId());
        if (!shared) {
            SessionRecovery.restore(store.load(), sessions, router, retained, connectFlow);
            return;
        }
        if (cluster.oldest()) {
            adopt(store.adopt(cluster.liveNodes(), true));
        }
    }

    boolean shared() {
        return shared;
    }

    /** The oldest node learnt that a node left: it adopts the sessions that node owned. */
    void nodeLeft(String node) {
        if (!shared) {
            return;
        }
        try {
            StoredState orphans = store.adopt(cluster.liveNodes(), false);
            LOG.info(() -> "Node " + node + " left: " + orphans.sessions().size() + " of its sessions adopted");
            adopt(orphans);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sessions of node " + node + " not adopted", e);
        }
    }

    private void adopt(StoredState state) {
        SessionRecovery.restore(state, sessions, router, retained, connectFlow);
        // their clients find them here: a CONNECT on another node asks this one to hand them over
        for (StoredSession session : state.sessions()) {
            if (sessions.get(session.clientId()) != null) {
                cluster.claimClient(session.clientId(), false);
            }
        }
    }

    /**
     * The client connected to another node of the cluster ({@code node}, in its move {@code moveId}): its
     * connection here is closed with 0x8E. With a shared store the session moves there: it is handed over, messages
     * for it that still reach this node are relayed there ({@link MovingSessions}), and as with a takeover here a
     * delayed will is not due (the client is back); otherwise, or when the client starts clean there, it ends here
     * as a clean start here would end it (a delayed will is due now, MQTT 5.0 3.1.3.2.2).
     */
    CompletionStage<Void> takenOverElsewhere(String clientId, boolean cleanStart, String node, long moveId) {
        return router.moving().leaving(() -> leave(clientId, !cleanStart && shared, node, moveId));
    }

    private CompletionStage<Void> leave(String clientId, boolean moving, String node, long moveId) {
        ClientSession session = sessions.remove(clientId);
        if (session == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (moving) {
            router.moving().departed(clientId, node, moveId, session.subscriptions().values());
        }
        router.forget(session);
        ClientConnection owner = session.owner();
        if (owner != null) {
            Will will = owner.connectPacket().will();
            if (moving && will != null && will.delayIntervalSeconds() > 0) {
                owner.discardWill();
            }
            owner.takeOver();
        }
        Runnable will = session.takePendingWill();
        if (will != null && !moving) {
            will.run();
        }
        return moving ? store.handOver(clientId) : store.sessionEnded(clientId);
    }

    /** Before a CONNECT claims its client id: unless it starts clean, its session may be coming from another node. */
    void claiming(String clientId, boolean cleanStart) {
        if (shared && !cleanStart) {
            router.moving().arriving(clientId);
        }
    }

    /**
     * Before a CONNECT opens its session (the client id is claimed, so another holder has handed it over): reads
     * the client's session from the shared store unless it is here already or the connect starts clean. Completes
     * once it is restored and the other nodes know its subscriptions.
     */
    CompletionStage<Void> fetch(String clientId, boolean cleanStart) {
        if (!shared || cleanStart) {
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> fetched = sessions.get(clientId) != null ? CompletableFuture.completedFuture(null)
                : store.takeSession(clientId).thenCompose(stored -> stored == null
                        ? CompletableFuture.completedFuture(null)
                        : SessionRecovery.restore(new StoredState(List.of(stored), List.of(), Map.of()), sessions,
                                router, retained, connectFlow, Level.FINE));
        // whatever the outcome: messages relayed for it wait no longer, and its old node stops relaying
        return fetched.whenComplete((done, failure) -> router.moving().arrived(clientId));
    }
}
