package org.eemqtt.broker.infrastructure;

import jakarta.enterprise.context.ApplicationScoped;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.Subscription;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions kept in memory only: every step completes at once. The durable JPA store (with group commit) replaces
 * it without changing the protocol flows, which already send their acknowledgements from these completions.
 */
@ApplicationScoped
public class VolatileSessionStore implements SessionStore {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<Void> sessionOpened(String clientId, long expiryIntervalSeconds) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> sessionEnded(String clientId) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> messageAccepted(Message message, Collection<String> recipientClientIds) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions) {
        return DONE;
    }

    @Override
    public CompletionStage<Void> releaseReceived(String clientId, int packetId) {
        return DONE;
    }
}
