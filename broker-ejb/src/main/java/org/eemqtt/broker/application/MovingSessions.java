package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.Topics;

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
 * message routed meanwhile from being lost or delivered twice. Without it, a message routed after the old node
 * forgot the session and before every node knew its subscriptions on the new node reached neither.
 * <ul>
 * <li>Old node, from the takeover: the session's (non-shared) filters stay wanted here, so other nodes keep sending
 *     their messages here, and each message routed here that matches them and that no session here took is relayed
 *     to the new node. A relay is confirmed once the new node stored the copy, so the publisher's acknowledgement
 *     waits for it. It stops when the new node says the session is restored and every node knows its filters
 *     there, and every node then answered a fence (whatever they sent here before has arrived), plus {@link
 *     #GRACE}.</li>
 * <li>New node, from the claim of the client id until {@link #GRACE_MILLIS} after the old node stopped relaying: relayed
 *     messages wait until the session is restored, and each publication ({@link Message#clusterId()}) reaches the
 *     session once, however many ways it came.</li>
 * </ul>
 * Messages that came two ways may arrive in another order than published during the move (README "Cluster").
 */
final class MovingSessions {

    /** How long the old node relays after the fence, and the new node deduplicates after that. */
    static final long GRACE_MILLIS = 2_000;

    private static final CompletionStage<Integer> NONE = CompletableFuture.completedFuture(0);

    /**
     * A session that left this node for {@code node} in the move {@code moveId}, with the filters it holds here and
     * the publications it got here while it was arriving (they moved with it: a stale relay of one is not passed on).
     */
    private record Departed(String node, long moveId, List<String> filters, Set<String> delivered) {
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

    /** A session coming to this node: restored once {@code restored} completes; the publications it got. */
    private static final class Arriving {
        final CompletableFuture<Void> restored = new CompletableFuture<>();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
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
        if (leftAgain != null) {
            leftAgain.restored.complete(null); // what waits for it is relayed on (ClusterInbound)
        }
        // counted before the session's own count goes, so that no node stops sending them here meanwhile
        filters.forEach(cluster::filterAdded);
        Departed previous = departed.put(clientId, new Departed(node, moveId, filters,
                leftAgain == null ? Set.of() : leftAgain.seen));
        if (previous != null) {
            withdraw(previous);
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
    void released(String clientId, long moveId) {
        Departed moved = departed.get(clientId);
        if (moved != null && moved.moveId() == moveId && departed.remove(clientId, moved)) {
            withdraw(moved);
        }
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
        arriving.put(clientId, new Arriving());
    }

    /**
     * The session is restored here (or there was none) and its filters are known everywhere: relayed messages
     * waiting for it are delivered, the old node is told to stop relaying, and deduplication ends {@link #GRACE_MILLIS}
     * after it did.
     */
    void arrived(String clientId) {
        // the entry is gone when the session left again meanwhile; the node it came from still stops relaying here
        Arriving entry = arriving.get(clientId);
        if (entry != null) {
            entry.restored.complete(null);
        }
        cluster.arrived(clientId).whenComplete((done, failure) -> {
            if (entry != null) {
                CompletableFuture.runAsync(() -> arriving.remove(clientId, entry),
                        CompletableFuture.delayedExecutor(GRACE_MILLIS, TimeUnit.MILLISECONDS, Runnable::run));
            }
        });
    }

    /** Completes once a session arriving here is restored (at once when none is arriving). */
    CompletionStage<Void> restored(String clientId) {
        Arriving entry = arriving.get(clientId);
        return entry == null ? CompletableFuture.completedFuture(null) : entry.restored;
    }

    /** Whether the session {@code clientId} is to get {@code message}: false when it got the publication already. */
    boolean admits(String clientId, Message message) {
        if (arriving.isEmpty() || message.clusterId() == null) {
            return true;
        }
        Arriving entry = arriving.get(clientId);
        return entry == null || entry.seen.add(message.clusterId());
    }
}
