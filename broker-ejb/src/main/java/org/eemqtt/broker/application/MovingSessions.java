package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.Topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Sessions on their way between two nodes of a cluster with a shared store ({@link SessionMoves}), and what keeps a
 * message routed meanwhile from being lost, delivered twice or out of order. Without it, a message routed after the
 * old node forgot the session and before every node knew its subscriptions on the new node reached neither.
 * <ul>
 * <li>Old node, from the takeover: the session's (non-shared) filters stay wanted here, so other nodes keep sending
 *     their messages here, and each message routed here that matches them and that no session here took is relayed
 *     to the new node. A relay is confirmed once the new node stored the copy, so the publisher's acknowledgement
 *     waits for it. It stops when the new node says the session is restored and every node knows its filters
 *     there, and every node then answered a fence (whatever they sent here before has arrived), plus the old
 *     node's grace (a forward chosen before the fence may still be on its way).</li>
 * <li>New node, from the claim of the client id: relayed messages wait until the session is restored, then go to
 *     it in the order they came; messages that reach it directly are routed to it only after the old node stopped
 *     relaying (every relay has arrived), so a publisher's messages keep their order: those it sent before every
 *     node knew the new place come relayed, the later ones directly. Until {@link #GRACE_MILLIS} after that, each
 *     publication ({@link Message#clusterId()}) reaches the session once, however many ways it came.</li>
 * </ul>
 */
final class MovingSessions {

    /** How long the new node deduplicates after the old node stopped relaying. */
    static final long GRACE_MILLIS = 1_000;

    private static final CompletionStage<Integer> NONE = CompletableFuture.completedFuture(0);

    /**
     * A session that left this node for {@code node} in the move {@code moveId}, with the filters it holds here, the
     * publications it got here while it was arriving (they moved with it: a stale relay of one is not passed on),
     * and the end of the relaying to this node from where it came before ({@code upstream}): until then relays may
     * still arrive here, to be passed on.
     */
    private record Departed(String node, long moveId, List<String> filters, Set<String> delivered,
                            CompletableFuture<Void> upstream) {
        boolean relays(Message message) {
            return (message.clusterId() == null || !delivered.contains(message.clusterId())) && matches(message);
        }

        private boolean matches(Message message) {
            String topic = message.topic();
            for (String filter : filters) {
                if (Topics.matches(filter, topic)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A session coming to this node: the publications it got here, the relayed deliveries waiting for its restore
     * and the messages that came directly, held (not stored yet) until the old node stopped relaying, each in
     * arrival order.
     */
    private static final class Arriving {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        /** Completes once the node it came from stopped relaying here. */
        final CompletableFuture<Void> settled = new CompletableFuture<>();
        private final OrderedGate restore = new OrderedGate();
        private final OrderedGate settle = new OrderedGate();
    }

    /**
     * Runs what passes it in the order it came: queued while closed, then run (outside the lock) by whoever opens
     * it, which also runs what arrives while it empties the queue.
     */
    private static final class OrderedGate {
        private final List<Runnable> queued = new ArrayList<>();
        private boolean open;

        /** Runs {@code action} now if open; else queues it and returns false. */
        boolean pass(Runnable action) {
            synchronized (this) {
                if (!open) {
                    queued.add(action);
                    return false;
                }
            }
            action.run();
            return true;
        }

        /** Whether {@code action} was queued (the gate is closed); it is not run here either way. */
        synchronized boolean hold(Runnable action) {
            if (!open) {
                queued.add(action);
            }
            return !open;
        }

        void open() {
            while (true) {
                List<Runnable> batch;
                synchronized (this) {
                    if (queued.isEmpty()) {
                        open = true;
                        return;
                    }
                    batch = new ArrayList<>(queued);
                    queued.clear();
                }
                batch.forEach(Runnable::run);
            }
        }
    }

    private final Cluster cluster;
    /**
     * Routing a message (matching it and handing its copies to the store) holds it shared; a session leaving this
     * node holds it alone, so that each message either found the session here, and the store has its copy before
     * the hand-over, or did not, and is relayed.
     */
    private final ReentrantReadWriteLock routing = new ReentrantReadWriteLock();
    private final Map<String, Departed> departed = new ConcurrentHashMap<>();
    private final Map<String, Arriving> arriving = new ConcurrentHashMap<>();
    /** Arriving sessions whose restore is not done yet, even if they left again meanwhile. */
    private final Map<String, Arriving> unsettled = new ConcurrentHashMap<>();

    MovingSessions(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Held while a message is routed here (only in a cluster). */
    Lock routing() {
        return routing.readLock();
    }

    /** Runs the removal of a session that leaves this node while no message is being routed here. */
    <T> T leaving(Supplier<T> removal) {
        routing.writeLock().lock();
        try {
            return removal.get();
        } finally {
            routing.writeLock().unlock();
        }
    }

    /**
     * Old node, before the session is forgotten: its filters stay wanted and matching messages go to {@code node}
     * until {@link #released}.
     */
    void departed(String clientId, String node, long moveId, Collection<Subscription> subscriptions) {
        List<String> filters = subscriptions.stream().map(Subscription::topicFilter)
                .filter(filter -> SharedFilter.parse(filter) == null).distinct().toList();
        Arriving leftAgain = arriving.remove(clientId);
        // counted before the session's own count goes, so that no node stops sending them here meanwhile
        filters.forEach(cluster::filterAdded);
        Departed previous = departed.put(clientId, new Departed(node, moveId, filters,
                leftAgain == null ? Set.of() : leftAgain.seen,
                leftAgain == null ? CompletableFuture.completedFuture(null) : leftAgain.settled));
        if (previous != null) {
            withdraw(previous);
        }
        if (leftAgain != null) {
            // what waited for it follows it there (MessageRouter#deliverToMoved)
            leftAgain.restore.open();
            leftAgain.settle.open();
        }
    }

    /**
     * Relays {@code message}, routed here, to the nodes that sessions matching it moved to, unless such a session
     * is among {@code reached} here; completes with the sessions it reached there.
     */
    CompletionStage<Integer> relay(Message message, Set<String> reached) {
        if (departed.isEmpty()) {
            return NONE;
        }
        CompletionStage<Integer> total = NONE;
        for (Map.Entry<String, Departed> entry : departed.entrySet()) {
            Departed moved = entry.getValue();
            if (!reached.contains(entry.getKey()) && moved.relays(message)) {
                total = total.thenCombine(cluster.relay(moved.node(), entry.getKey(), message), Integer::sum);
            }
        }
        return total;
    }

    /**
     * A message relayed here for a session that has left again: it goes on, unless the session got it here; null
     * when the session did not leave.
     */
    CompletionStage<Integer> relayOnward(String clientId, Message message) {
        Departed moved = departed.get(clientId);
        if (moved == null) {
            return null;
        }
        return moved.relays(message) ? cluster.relay(moved.node(), clientId, message) : NONE;
    }

    /** The new node of the move {@code moveId} has the session and every node fenced: relaying ends. */
    CompletionStage<Void> released(String clientId, long moveId) {
        Departed moved = departed.get(clientId);
        if (moved == null || moved.moveId() != moveId) {
            return CompletableFuture.completedFuture(null);
        }
        // not before relays from where the session was before have stopped: they are passed on until then
        return moved.upstream().thenRun(() -> {
            if (departed.remove(clientId, moved)) {
                withdraw(moved);
            }
        });
    }

    /** {@code node} left the cluster: what moved there is adopted elsewhere, so nothing is relayed to it. */
    void nodeGone(String node) {
        departed.forEach((clientId, moved) -> {
            if (moved.node().equals(node) && departed.remove(clientId, moved)) {
                withdraw(moved);
            }
        });
    }

    private void withdraw(Departed moved) {
        moved.filters().forEach(cluster::filterRemoved);
    }

    /** New node, before the client id is claimed: the session may come from another node. */
    void arriving(String clientId) {
        Departed moved = departed.remove(clientId);
        if (moved != null) {
            // it comes back: the node it went to relays to this one now
            withdraw(moved);
        }
        Arriving entry = new Arriving();
        arriving.put(clientId, entry);
        Arriving replaced = unsettled.put(clientId, entry);
        if (replaced != null) {
            replaced.settled.complete(null); // two CONNECTs at once: the later one settles
        }
    }

    /**
     * The session is restored here (or there was none) and its filters are known everywhere: relayed messages
     * waiting for it are delivered in the order they came, and the old node is told to stop relaying. Once it did
     * (every relay has arrived), the messages held meanwhile are routed to it, and deduplication ends {@link
     * #GRACE_MILLIS} later.
     */
    void arrived(String clientId) {
        // the session may have left again meanwhile (its gates are open then); the node it came from still stops
        // relaying here, and where it went waits for that
        Arriving entry = unsettled.remove(clientId);
        if (entry == null) {
            cluster.arrived(clientId);
            return;
        }
        entry.restore.open();
        cluster.arrived(clientId).whenComplete((done, failure) -> {
            entry.settle.open();
            entry.settled.complete(null);
            CompletableFuture.runAsync(() -> arriving.remove(clientId, entry),
                    CompletableFuture.delayedExecutor(GRACE_MILLIS, TimeUnit.MILLISECONDS, Runnable::run));
        });
    }

    /**
     * A message relayed for {@code clientId}: {@code delivery} runs once the session arriving here is restored,
     * after those relayed before it (at once when none is arriving).
     */
    CompletionStage<Integer> afterRestore(String clientId, Supplier<CompletionStage<Integer>> delivery) {
        Arriving entry = arriving.get(clientId);
        if (entry == null) {
            return delivery.get();
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        entry.restore.pass(() -> complete(result, delivery.get()));
        return result;
    }

    /**
     * A message routed here for the arriving session {@code clientId} other than by relay: routed for it ({@code
     * routing}) only once every relayed message has arrived, so that a publisher's messages keep their order (those
     * it sent before every node knew the session's new place come relayed, the later ones directly), and stored for
     * it only then, after them. Returns the stage of that routing, or null when the session is not arriving or is
     * settled (route it now). Should the session leave meanwhile, {@code routing} runs at once and follows it.
     */
    CompletionStage<Integer> afterSettle(String clientId, Supplier<CompletionStage<Integer>> routing) {
        if (arriving.isEmpty()) {
            return null;
        }
        Arriving entry = arriving.get(clientId);
        if (entry == null) {
            return null;
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        return entry.settle.hold(() -> complete(result, routing.get())) ? result : null;
    }

    /** Whether the session {@code clientId} is to get {@code message}: false when it got the publication already. */
    boolean admits(String clientId, Message message) {
        if (arriving.isEmpty() || message.clusterId() == null) {
            return true;
        }
        Arriving entry = arriving.get(clientId);
        return entry == null || entry.seen.add(message.clusterId());
    }

    private static void complete(CompletableFuture<Integer> result, CompletionStage<Integer> stage) {
        stage.whenComplete((count, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(count);
            }
        });
    }
}
