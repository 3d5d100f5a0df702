package org.eemqtt.broker.domain;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * What must be stored before the broker acknowledges. Every acknowledgement (CONNACK, PUBACK, PUBREC, PUBCOMP,
 * SUBACK) is sent from the completion of one of these calls, so that a durable store with group commit changes
 * when acknowledgements leave, not how the protocol flows are written.
 */
public interface SessionStore {

    /** A session was opened or resumed (persistent when its expiry interval is above zero). */
    CompletionStage<Void> sessionOpened(String clientId, long expiryIntervalSeconds);

    /** A session ended for good. */
    CompletionStage<Void> sessionEnded(String clientId);

    /** A QoS 1 or 2 message was accepted from a publisher and is about to reach these sessions. */
    CompletionStage<Void> messageAccepted(Message message, Collection<String> recipientClientIds);

    /** A session's subscriptions changed. */
    CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions);

    /** An inbound QoS 2 message was released (PUBREL): its packet identifier is free again. */
    CompletionStage<Void> releaseReceived(String clientId, int packetId);
}
