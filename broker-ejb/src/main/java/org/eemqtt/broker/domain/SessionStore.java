package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.StoredState.StoredWill;

import java.util.Collection;
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

    /** What a previous run left: read once at start, before clients are served. */
    StoredState load();
}
