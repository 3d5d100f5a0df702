package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions kept in memory only: every step completes at once and nothing survives a restart. Not a bean: the broker
 * runs on {@link JpaSessionStore}; this one serves the protocol engine's tests.
 */
public class VolatileSessionStore implements SessionStore {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletionStage<Long> NOT_STORED = CompletableFuture.completedFuture(0L);

    @Override
    public CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds,
                                               Will will) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> sessionOffline(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                                StoredWill pendingWill) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> willDone(String clientId) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> sessionEnded(String clientId) {
        return DONE;
    }

    @Override
    public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
        return NOT_STORED;
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> inboundReceived(String clientId, int packetId) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> releaseReceived(String clientId, int packetId) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> outboundSent(String clientId, long messageId, int packetId, QoS qos) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> outboundReceived(String clientId, long messageId) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> outboundDone(String clientId, long messageId) {
        return DONE;
    }

    @Override
    public StoredState load() {
        return StoredState.EMPTY;
    }
}
