package org.eemqtt.broker.infrastructure;

import com.hazelcast.map.IMap;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.application.Cluster;
import org.eemqtt.broker.domain.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client ids across the cluster and the moves of their sessions, on the wire: the takeover (TAKE_OVER), the old
 * node's relays (RELAY, confirmed once stored; received, like a forward, by {@link HazelcastCluster}) and the end of
 * a move (RELEASE, after a FENCE round to every node).
 * The rules are the application's ({@code MovingSessions}); this class carries them between nodes.
 */
final class ClusterMoves {

    private static final Logger LOG = Logger.getLogger(ClusterMoves.class.getName());
    /** A TAKE_OVER's text: one of these, then the client id. */
    private static final char CLEAN_START = 'c';
    private static final char RESUME = 'r';
    /** After the fence, the old node relays this much longer: a forward chosen before it may still be on its way. */
    static final long GRACE_MILLIS = 1_000;

    /** A client id this node took from {@code node} in the move {@code moveId} (the TAKE_OVER's request id). */
    private record Claim(String node, long moveId) {
    }

    private final String self;
    private final IMap<String, String> clients;
    private final PendingReplies replies;
    private final BiConsumer<List<String>, byte[]> send;
    private final Supplier<List<String>> others;
    private final Predicate<String> isMember;
    private final Map<String, Claim> claimed = new ConcurrentHashMap<>();

    ClusterMoves(String self, IMap<String, String> clients, PendingReplies replies,
                 BiConsumer<List<String>, byte[]> send, Supplier<List<String>> others, Predicate<String> isMember) {
        this.self = self;
        this.clients = clients;
        this.replies = replies;
        this.send = send;
        this.others = others;
        this.isMember = isMember;
    }

    /** See {@link Cluster#claimClient}. */
    CompletionStage<Void> claim(String clientId, boolean cleanStart) {
        claimed.remove(clientId);
        return clients.putAsync(clientId, self).<Void>thenCompose(previous -> {
            if (previous == null || previous.equals(self) || !isMember.test(previous)) {
                return CompletableFuture.completedFuture(null);
            }
            List<String> holder = List.of(previous);
            return replies.request(holder, id -> {
                if (!cleanStart) {
                    claimed.put(clientId, new Claim(previous, id));
                }
                send.accept(holder, ClusterFrames.text(ClusterFrames.TAKE_OVER, id, self,
                        (cleanStart ? CLEAN_START : RESUME) + clientId));
            }).handle((count, failure) -> {
                if (failure != null) {
                    LOG.warning(() -> "Node " + previous + " did not confirm the takeover of client '" + clientId
                            + "': " + failure.getMessage());
                }
                return null;
            });
        }).exceptionally(failure -> {
            // the data grid failing must not keep the client out; uniqueness is then this node's only
            LOG.log(Level.WARNING, "Client id '" + clientId + "' not claimed in the cluster", failure);
            return null;
        });
    }

    /** See {@link Cluster#arrived}. */
    CompletionStage<Void> arrived(String clientId) {
        Claim claim = claimed.remove(clientId);
        if (claim == null || !isMember.test(claim.node())) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> from = List.of(claim.node());
        return replies.request(from, id -> send.accept(from, ClusterFrames.text(ClusterFrames.RELEASE, id, self,
                claim.moveId() + " " + clientId))).handle((count, failure) -> {
                    if (failure != null) {
                        LOG.warning(() -> "Node " + claim.node() + " did not confirm the end of the move of client '"
                                + clientId + "': " + failure.getMessage());
                    }
                    return null;
                });
    }

    /** See {@link Cluster#relay}: fails when {@code node} is gone or does not confirm a QoS 1/2 copy in time. */
    CompletionStage<Integer> relay(String node, String clientId, Message message) {
        if (!isMember.test(node)) {
            return CompletableFuture.failedFuture(new IllegalStateException("node " + node + " left the cluster"));
        }
        List<String> target = List.of(node);
        if (message.qos() == QoS.AT_MOST_ONCE) {
            send.accept(target, ClusterFrames.relay(0, self, clientId, message));
            return CompletableFuture.completedFuture(0);
        }
        return replies.requestStored(target, id -> send.accept(target, ClusterFrames.relay(id, self, clientId,
                message)));
    }

    /** A node left: the claims taken from it end nothing there. */
    void nodeLeft(String node) {
        claimed.values().removeIf(claim -> claim.node().equals(node));
    }

    /** Handles TAKE_OVER, RELEASE and FENCE; {@code executor} runs the delayed end of a move. */
    void received(ClusterFrames.Frame frame, Cluster.Inbound inbound, Executor executor) {
        switch (frame.type()) {
            case ClusterFrames.TAKE_OVER -> inbound.takenOverElsewhere(frame.text().substring(1),
                            frame.text().charAt(0) == CLEAN_START, frame.origin(), frame.requestId())
                    .whenComplete((done, failure) -> reply(frame, failure == null, 0));
            case ClusterFrames.RELEASE -> release(frame, inbound, executor);
            case ClusterFrames.FENCE -> reply(frame, true, 0);
            default -> throw new IllegalArgumentException("not a move frame: " + frame.type());
        }
    }

    /**
     * The new node settled the session: once every node answered a fence (what they sent here before arrived) and
     * the grace period passed, relaying ends (after relays to here from an earlier node ended) and the new node
     * hears so.
     */
    private void release(ClusterFrames.Frame frame, Cluster.Inbound inbound, Executor executor) {
        int space = frame.text().indexOf(' ');
        long moveId = Long.parseLong(frame.text().substring(0, space));
        String clientId = frame.text().substring(space + 1);
        List<String> all = others.get();
        CompletionStage<Integer> fenced = all.isEmpty() ? CompletableFuture.completedFuture(0)
                : replies.request(all, id -> send.accept(all, ClusterFrames.text(ClusterFrames.FENCE, id, self, "")));
        fenced.handle((count, failure) -> null)
                .thenComposeAsync(fence -> inbound.moveEnded(clientId, moveId),
                        CompletableFuture.delayedExecutor(GRACE_MILLIS, TimeUnit.MILLISECONDS, executor))
                .whenComplete((done, failure) -> reply(frame, failure == null, 0));
    }

    private void reply(ClusterFrames.Frame request, boolean ok, int count) {
        send.accept(List.of(request.origin()), ClusterFrames.reply(request.requestId(), self, ok, count));
    }
}
