package org.eemqtt.broker.application;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session store whose completions can be held back per kind of call, to prove that acknowledgements wait for
 * the store. Not held back, every call completes at once (like the volatile store).
 */
final class ControllableStore extends VolatileSessionStore {

    enum Step { SESSION_OPENED, MESSAGE_ACCEPTED, SUBSCRIPTIONS_CHANGED, RELEASE_RECEIVED, INBOUND_RECEIVED,
        RETAINED_CHANGED, OUTBOUND_SENT, OUTBOUND_RECEIVED }

    private final List<Step> holding = new ArrayList<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final List<String> ended = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private final AtomicLong nextId = new AtomicLong();

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
    public CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds,
                                               Will will) {
        return step(Step.SESSION_OPENED);
    }

    @Override
    public CompletionStage<Void> willDone(String clientId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> sessionEnded(String clientId) {
        ended.add(clientId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
        long id = nextId.incrementAndGet(); // every message "stored": its copies report their state here
        return step(Step.MESSAGE_ACCEPTED).thenApply(done -> id);
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        return step(Step.RETAINED_CHANGED);
    }

    @Override
    public CompletionStage<Void> inboundReceived(String clientId, int packetId) {
        return step(Step.INBOUND_RECEIVED);
    }

    @Override
    public CompletionStage<Void> outboundSent(String clientId, long messageId, int packetId, QoS qos) {
        return step(Step.OUTBOUND_SENT);
    }

    @Override
    public CompletionStage<Void> outboundReceived(String clientId, long messageId) {
        return step(Step.OUTBOUND_RECEIVED);
    }

    @Override
    public synchronized CompletionStage<Void> outboundDone(String clientId, long messageId) {
        done.add(clientId + "/" + messageId);
        return CompletableFuture.completedFuture(null);
    }

    /** The copies reported done ("clientId/messageId"), in order. */
    synchronized List<String> doneCopies() {
        return List.copyOf(done);
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
