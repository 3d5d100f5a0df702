package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A session store whose completions can be held back per kind of call, to prove that acknowledgements wait for
 * the store. Not held back, every call completes at once (like the volatile store).
 */
final class ControllableStore extends VolatileSessionStore {

    enum Step { SESSION_OPENED, MESSAGE_ACCEPTED, SUBSCRIPTIONS_CHANGED, RELEASE_RECEIVED }

    private final List<Step> holding = new ArrayList<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final List<String> ended = new ArrayList<>();

    synchronized void hold(Step step) {
        holding.add(step);
    }

    /** Stops holding back and completes everything held so far, in order, on the calling thread. */
    void releaseAll() {
        List<CompletableFuture<Void>> held;
        synchronized (this) {
            holding.clear();
            held = List.copyOf(pending);
            pending.clear();
        }
        held.forEach(f -> f.complete(null));
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized List<String> endedSessions() {
        return List.copyOf(ended);
    }

    private synchronized CompletionStage<Void> step(Step step) {
        if (!holding.contains(step)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        pending.add(future);
        return future;
    }

    @Override
    public CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds) {
        return step(Step.SESSION_OPENED);
    }

    @Override
    public synchronized CompletionStage<Void> sessionEnded(String clientId) {
        ended.add(clientId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
        return step(Step.MESSAGE_ACCEPTED).thenApply(done -> 0L);
    }

    @Override
    public CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions) {
        return step(Step.SUBSCRIPTIONS_CHANGED);
    }

    @Override
    public CompletionStage<Void> releaseReceived(String clientId, int packetId) {
        return step(Step.RELEASE_RECEIVED);
    }
}
