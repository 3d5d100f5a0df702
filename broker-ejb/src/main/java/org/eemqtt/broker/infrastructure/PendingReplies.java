package org.eemqtt.broker.infrastructure;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Requests to other nodes that wait for their replies. A request completes with the sum of the counts the nodes
 * replied once all of them did; a node that leaves the cluster counts as having replied 0 (its sessions left with
 * it); a node that is still a member but has not replied within the timeout fails the request.
 */
final class PendingReplies {

    private static final class Pending {
        final Set<String> awaiting = ConcurrentHashMap.newKeySet();
        int reached;
        /** What the nodes replied beyond a count (a status answer), by node. */
        final Map<String, byte[]> data = new ConcurrentHashMap<>();
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        boolean failsWhenANodeLeaves;

        synchronized void replied(String node, int count, byte[] body) {
            if (awaiting.contains(node) && body != null) {
                data.put(node, body);
            }
            if (awaiting.remove(node)) {
                reached += count;
                if (awaiting.isEmpty()) {
                    done.complete(reached);
                }
            }
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final long timeoutSeconds;

    PendingReplies(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** A new request to {@code nodes} (not empty); {@code send} sends it under the given request id. */
    CompletableFuture<Integer> request(Collection<String> nodes, LongConsumer send) {
        return start(nodes, send, new Pending());
    }

    /**
     * A request to store a message: a node that leaves before it replied fails it, as nobody knows whether the
     * node stored the message (with a shared store its sessions live on elsewhere, so a copy must not be assumed
     * lost and the publisher acknowledged: it sends the message again instead).
     */
    CompletableFuture<Integer> requestStored(Collection<String> nodes, LongConsumer send) {
        Pending request = new Pending();
        request.failsWhenANodeLeaves = true;
        return start(nodes, send, request);
    }

    /**
     * A request whose replies carry data ({@link #replied(long, String, byte[])}): completes with each node's
     * data once all replied (a node that left the cluster meanwhile has none).
     */
    CompletableFuture<Map<String, byte[]>> collect(Collection<String> nodes, LongConsumer send) {
        Pending request = new Pending();
        return start(nodes, send, request).thenApply(count -> Map.copyOf(request.data));
    }

    private CompletableFuture<Integer> start(Collection<String> nodes, LongConsumer send, Pending request) {
        long id = ids.incrementAndGet();
        request.awaiting.addAll(nodes);
        pending.put(id, request);
        CompletableFuture<Integer> result = request.done.orTimeout(timeoutSeconds, TimeUnit.SECONDS)
                .handle((count, failure) -> {
                    pending.remove(id);
                    if (failure instanceof TimeoutException) {
                        throw new IllegalStateException("node(s) " + request.awaiting + " did not confirm within "
                                + timeoutSeconds + " s", failure);
                    }
                    if (failure != null) {
                        throw new IllegalStateException(failure);
                    }
                    return count;
                });
        send.accept(id);
        return result;
    }

    void replied(long id, String node, boolean ok, int count) {
        Pending request = pending.get(id);
        if (request == null) {
            return; // timed out already
        }
        if (ok) {
            request.replied(node, count, null);
        } else {
            request.done.completeExceptionally(new IllegalStateException("node " + node + " could not accept it"));
        }
    }

    /** A node's reply with data to a {@link #collect} request. */
    void replied(long id, String node, byte[] data) {
        Pending request = pending.get(id);
        if (request != null) {
            request.replied(node, 0, data);
        }
    }

    /** A node left: no reply will come from it, and none is owed. */
    void nodeLeft(String node) {
        pending.values().forEach(request -> {
            if (request.failsWhenANodeLeaves && request.awaiting.contains(node)) {
                request.done.completeExceptionally(new IllegalStateException("node " + node + " left before it "
                        + "confirmed"));
            } else {
                request.replied(node, 0, null);
            }
        });
    }
}
