package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * {@link Cluster#SINGLE_NODE}: clustering off, every call answered at once. Not final, so that a test playing the
 * other nodes overrides only what it observes.
 */
public class SingleNodeCluster implements Cluster {

    @Override
    public void start(Inbound inbound, ScheduledExecutorService scheduler) {
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public CompletionStage<Void> filterAdded(String filter) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void filterRemoved(String filter) {
    }

    @Override
    public CompletionStage<Integer> forward(Message message) {
        return CompletableFuture.completedFuture(0);
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void offerRetained(Message message) {
    }

    @Override
    public void retainedMatching(String filter, Consumer<Message> sink) {
    }

    @Override
    public CompletionStage<Void> claimClient(String clientId, boolean cleanStart) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void releaseClient(String clientId) {
    }
}
