package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.StoredState.StoredWill;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What must be stored before the broker acknowledges. Every acknowledgement (CONNACK, PUBACK, PUBREC, PUBCOMP,
 * SUBACK) is sent from the completion of one of these calls, so that a durable store with group commit changes
 * when acknowledgements leave, not how the protocol flows are written.
 *
 * <p>Only persistent sessions (expiry interval above zero) are written: calls about other sessions complete at
 * once. Durability rules, as the flows rely on them:
 * <ul>
 * <li>a QoS 1/2 message is acknowledged to its publisher after {@link #messageAccepted} completed: stored once,
 *     with one copy per persistent recipient, and as the topic's retained message when it is retained;</li>
 * <li>an inbound QoS 2 packet identifier is stored with the message ({@link #inboundReceived}) before PUBREC, and
 *     its removal ({@link #releaseReceived}) before PUBCOMP, so that a retransmission after a restart is neither
 *     delivered twice nor mistaken for one;</li>
 * <li>outbound QoS 2: the packet identifier is stored before the PUBLISH goes out and the PUBREC state before
 *     PUBREL does (see {@link #outboundSent}, {@link #outboundReceived}); removals after PUBACK/PUBCOMP are lazy:
 *     losing one only re-sends a PUBLISH (QoS 1 allows the duplicate) or a PUBREL (the client answers it).</li>
 * </ul>
 *
 * <p>Sharing one store between the nodes of a cluster (see {@link #shareWith}): a shared store records, for each
 * session, its owner: the node that holds it in memory and is the only one that writes about it. A session moves
 * by {@link #handOver} on the node it leaves and {@link #takeSession} on the node it joins; the sessions of a node
 * that left (stopped or killed) are taken by {@link #adopt}. A store that is not shared never sees these calls.
 */
public interface SessionStore {

    /**
     * A session was opened or resumed; a clean start discards what was stored for the client id. The connection's
     * will (null: none) is kept with the session while the connection is open: a crash of the broker closes the
     * connection without DISCONNECT, so the next start publishes it (after its delay).
     */
    CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds, Will will);

    /** {@link #sessionOpened(String, boolean, long, Will)} without a will. */
    default CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds) {
        return sessionOpened(clientId, cleanStart, expiryIntervalSeconds, null);
    }

    /**
     * The session went offline at {@code offlineAtMillis} (wall clock) with this expiry interval, with a delayed
     * will still pending (null: none, or published or discarded already). Lazy.
     */
    CompletionStage<Void> sessionOffline(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                         StoredWill pendingWill);

    /** {@link #sessionOffline(String, long, long, StoredWill)} without a pending will. */
    default CompletionStage<Void> sessionOffline(String clientId, long expiryIntervalSeconds, long offlineAtMillis) {
        return sessionOffline(clientId, expiryIntervalSeconds, offlineAtMillis, null);
    }

    /** The session's pending will was published (or cancelled by the session's end): it is forgotten. Lazy. */
    CompletionStage<Void> willDone(String clientId);

    /** A session ended for good. */
    CompletionStage<Void> sessionEnded(String clientId);

    /**
     * A QoS 1 or 2 message was accepted from a publisher and is about to reach these recipients. Completes with the
     * message's store identifier (0 when no copy was stored), which later calls about its copies name.
     */
    CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients);

    /** A retained message was set, or deleted (empty payload), for its topic. */
    CompletionStage<Void> retainedChanged(Message message);

    /** A session's subscriptions changed. */
    CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions);

    /** An inbound QoS 2 PUBLISH was accepted: its packet identifier awaits PUBREL. */
    CompletionStage<Void> inboundReceived(String clientId, int packetId);

    /** An inbound QoS 2 message was released (PUBREL): its packet identifier is free again. */
    CompletionStage<Void> releaseReceived(String clientId, int packetId);

    /**
     * A stored copy was given a packet identifier and is about to be sent. For QoS 2 the stage completes once the
     * identifier is durable. For QoS 1 the write is lazy (the stage may complete before it): a store may hold it
     * back for a while and drop it when the copy is done first; a lost QoS 1 identifier only means that the copy is
     * re-sent after a restart as a new PUBLISH, which QoS 1 allows.
     */
    CompletionStage<Void> outboundSent(String clientId, long messageId, int packetId, QoS qos);

    /** PUBREC for a stored QoS 2 copy: PUBREL is pending. */
    CompletionStage<Void> outboundReceived(String clientId, long messageId);

    /** A stored copy is done with: acknowledged, expired, refused, or dropped from a full queue. Lazy. */
    CompletionStage<Void> outboundDone(String clientId, long messageId);

    /** What a previous run left: read once at start, before clients are served. Not called on a shared store. */
    StoredState load();

    /**
     * Clustering is on and this node is {@code nodeId} (unique among live nodes, e.g. the Hazelcast member id).
     * Called once, before any other call. Returns whether every node reads and writes this same store, so that
     * sessions can move between nodes; then {@link #load} is never called, and a shared store must from now on:
     * <ul>
     * <li>record {@code nodeId} as the owner of every session this node opens ({@link #sessionOpened}), takes
     *     ({@link #takeSession}) or adopts ({@link #adopt}), and write nothing about sessions it does not own;</li>
     * <li>give message store identifiers ({@link #messageAccepted}) that are unique across all nodes and, for the
     *     copies of one session, increase in the order they were accepted, also across a move: the copies a node
     *     accepted before a handover come before those the next owner accepts after taking the session.</li>
     * </ul>
     * A store that cannot be shared (e.g. a database file of each node) returns false and logs once why sessions
     * stay on their node; the broker then works as without a cluster.
     */
    default boolean shareWith(String nodeId) {
        return false;
    }

    /**
     * Shared store: takes every stored session whose owner is not one of {@code liveNodes} (a node that stopped or
     * was killed, or none), records this node as its owner and returns it as {@link #load} would (online sessions
     * offline from now, their connection's will due; sessions whose expiry passed are deleted and their wills
     * returned as ended wills); retained messages only when {@code withRetained} (at the start of the first node:
     * after that the cluster holds them). Called by the oldest node, at its start and whenever a node left.
     */
    default StoredState adopt(Set<String> liveNodes, boolean withRetained) {
        throw new UnsupportedOperationException("not a shared store");
    }

    /**
     * Shared store: reads the one session stored for {@code clientId}, as handed over by its previous owner
     * ({@link #handOver} completed there before this is called), and records this node as its owner. Completes
     * with null when no session is stored (or it has expired: then it is deleted). Runs after this node's writes
     * submitted before it.
     */
    default CompletionStage<StoredState.StoredSession> takeSession(String clientId) {
        throw new UnsupportedOperationException("not a shared store");
    }

    /**
     * Shared store: the session leaves this node (its client connected to another node, which takes it next).
     * Every write about it submitted before this call, lazy ones included, becomes durable; the stored will of its
     * connection is forgotten (this node publishes or drops it); then the store forgets the session: later calls
     * about it write nothing, and its rows stay for the next owner. Completes once all that is durable.
     */
    default CompletionStage<Void> handOver(String clientId) {
        throw new UnsupportedOperationException("not a shared store");
    }
}
