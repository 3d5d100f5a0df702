package org.eemqtt.broker.infrastructure;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import org.eemqtt.broker.application.Cluster;
import org.eemqtt.broker.application.UserConnection;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster on Payara's Hazelcast. Each node (Hazelcast member) has an inbox: a topic named after its member id,
 * which only it listens to. Everything nodes ask of each other travels there as {@link ClusterFrames} bytes.
 *
 * <p>Why a plain {@link ITopic} per node: a topic event goes straight from the sending member to the listening one
 * over their connection, in the order one member sent them, with no partition operation or backup per message (a
 * reliable topic or a queue would write each message to a ring buffer or queue and its backup first; an executor
 * task would need our classes on Hazelcast's class path). What a plain topic does not promise, delivery, the
 * reply does: a QoS 1/2 forward completes only when every target node replied that it accepted the message (stored
 * it for its persistent sessions), so a message lost on the way fails the forward and the publisher gets no
 * acknowledgement and sends again. QoS 0 is not confirmed, as MQTT does not promise it. The order per sender is
 * also what a session's move rests on ({@link ClusterMoves}): a fence answered by a node follows everything that
 * node sent before.
 *
 * <p>Shared state in maps: {@code eemqtt.filters} (which node wants which filter, for nodes that join later),
 * {@code eemqtt.clients} (client id to node), {@code eemqtt.retained} (topic to retained message),
 * {@code eemqtt.shares} (node and share group to its members there, see {@link ClusterShareGroups}), {@code
 * eemqtt.nodes} (the members that run the broker, {@link BrokerNodes}). Entries of a node that leaves are removed by
 * the others.
 */
final class HazelcastCluster implements Cluster, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HazelcastCluster.class.getName());
    private static final String INBOX_PREFIX = "eemqtt.node.";

    private final HazelcastInstance hazelcast;
    private final String self;
    private final PendingReplies replies;
    private final RemoteFilters remote = new RemoteFilters();
    private final Map<String, Integer> localFilters = new ConcurrentHashMap<>();
    private final IMap<String, String> filterRegistry;
    private final ClusterShares shares;
    private final IMap<String, String> clients;
    private final ClusterRetained retained;
    private final ITopic<byte[]> inbox;
    private final BrokerNodes nodes;
    private final ForwardCounters forwarded = new ForwardCounters();
    private final ClusterMoves moves;
    private volatile Inbound inbound;
    /** The container's executor, for map reads and writes that must not hold up the calling thread. */
    private volatile ScheduledExecutorService executor;
    private volatile boolean started;
    private UUID inboxListener;
    private UUID membershipListener;
    private ScheduledFuture<?> counterLog;

    HazelcastCluster(HazelcastInstance hazelcast, long timeoutSeconds) {
        this.hazelcast = hazelcast;
        this.self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.replies = new PendingReplies(timeoutSeconds);
        this.filterRegistry = hazelcast.getMap("eemqtt.filters");
        this.clients = hazelcast.getMap("eemqtt.clients");
        this.retained = new ClusterRetained(hazelcast);
        this.inbox = hazelcast.getTopic(INBOX_PREFIX + self);
        this.shares = new ClusterShares(hazelcast, self, replies, this::send, this::otherNodes);
        this.moves = new ClusterMoves(self, clients, replies, this::send, this::otherNodes, this::isMember);
        // off the event thread: adopting and cleaning up after a node are remote calls
        this.nodes = new BrokerNodes(hazelcast, self, this::logSize,
                node -> executor.execute(() -> brokerLeft(node)), node -> executor.execute(() -> greet(node)));
    }

    @Override
    public void start(Inbound handler, ScheduledExecutorService scheduler) {
        this.inbound = handler;
        this.executor = scheduler;
        inboxListener = inbox.addMessageListener(message -> onFrame(message.getMessageObject()));
        membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // a member counts once its broker entered itself in the registry (BrokerNodes)
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String node = event.getMember().getUuid().toString();
                executor.execute(() -> brokerLeft(node));
            }
        });
        // the instance name on Payara Server, for people reading the map; the member id is what nodes use
        nodes.join(System.getProperty("com.sun.aas.instanceName",
                hazelcast.getCluster().getLocalMember().getAddress().toString()));
        // the filters of nodes already there; later changes arrive in the inbox
        filterRegistry.forEach((key, node) -> {
            if (!node.equals(self) && isMember(node)) {
                remote.add(node, key.substring(node.length() + 1));
            }
        });
        started = true;
        localFilters.keySet().forEach(this::announce); // subscriptions of recovered sessions
        shares.start(this::isMember);
        counterLog = forwarded.logChanges(scheduler, self);
    }

    private void logSize(int size) {
        LOG.info(() -> "MQTT cluster: " + size + " node" + (size == 1 ? "" : "s") + " (this node " + self + "; "
                + hazelcast.getCluster().getMembers().size() + " data grid members)");
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletionStage<Void> filterAdded(String filter) {
        // counted and told under the filter's lock, so that an addition and a removal leave in the order they happened
        @SuppressWarnings("unchecked")
        CompletionStage<Void>[] told = new CompletionStage[]{CompletableFuture.completedFuture(null)};
        localFilters.compute(filter, (f, count) -> {
            if (count == null && started) {
                told[0] = announce(filter);
            }
            return count == null ? 1 : count + 1;
        });
        return told[0];
    }

    /** Tells every node (and the registry, for nodes joining later) that this node wants {@code filter}. */
    private CompletionStage<Void> announce(String filter) {
        filterRegistry.setAsync(self + "|" + filter, self);
        List<String> others = otherNodes();
        if (others.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return replies.request(others, id -> send(others, ClusterFrames.text(ClusterFrames.FILTER_ADDED, id, self,
                filter))).handle((count, failure) -> {
                    if (failure != null) {
                        // the registry has it: a node that missed the news still finds it there when it restarts
                        LOG.warning(() -> "Subscription to " + filter + " not confirmed by every node: "
                                + failure.getMessage());
                    }
                    return null;
                });
    }

    @Override
    public void filterRemoved(String filter) {
        localFilters.computeIfPresent(filter, (f, count) -> {
            if (count > 1) {
                return count - 1;
            }
            if (started) {
                filterRegistry.removeAsync(self + "|" + filter);
                send(otherNodes(), ClusterFrames.text(ClusterFrames.FILTER_REMOVED, 0, self, filter));
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Void> shareAdded(SharedFilter group) {
        return shares.added(group);
    }

    @Override
    public void shareRemoved(SharedFilter group) {
        shares.removed(group);
    }

    @Override
    public boolean shareElsewhere(Message message, SharedFilter group) {
        return shares.handOver(message, group.topicFilter());
    }

    /** Only for a caller that delivers no share group itself: those chosen for this node are left out. */
    @Override
    public CompletionStage<Integer> forward(Message message) {
        return forwardPublished(message).remote();
    }

    @Override
    public Forwarding forwardPublished(Message message) {
        return shares.forward(message, remote.nodesFor(message.topic()), forwarded.sent());
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        return retained.changed(message);
    }

    @Override
    public void offerRetained(Message message) {
        retained.offer(message);
    }

    @Override
    public void retainedMatching(String filter, Consumer<Message> sink) {
        // off the calling thread (the store's completion): reading the map is a remote call
        executor.execute(() -> retained.matching(filter, sink));
    }

    @Override
    public CompletionStage<Void> claimClient(String clientId, boolean cleanStart) {
        return moves.claim(clientId, cleanStart);
    }

    @Override
    public CompletionStage<Integer> relay(String node, String clientId, Message message) {
        return moves.relay(node, clientId, message);
    }

    @Override
    public CompletionStage<Void> arrived(String clientId) {
        return moves.arrived(clientId);
    }

    @Override
    public void releaseClient(String clientId) {
        // a conditional remove has no asynchronous form; it must not hold up the network thread that ends a session
        executor.execute(() -> clients.remove(clientId, self));
    }

    @Override
    public String nodeId() {
        return self;
    }

    @Override
    public Set<String> liveNodes() {
        // a member whose broker stopped (undeployed) stays in the grid but holds no session: its sessions are adopted
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
                .filter(node -> !nodes.stopped(node)).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public boolean oldest() {
        // Hazelcast lists members in join order, the same on every member; members without the broker (the DAS of a
        // Payara Server domain) are skipped
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.localMember()) {
                return true;
            }
            if (nodes.runsBroker(member.getUuid().toString())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletionStage<Map<String, List<UserConnection>>> userConnections(List<String> usernames) {
        List<String> others = otherNodes();
        if (others.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        String names = String.join("\n", usernames); // a user name has no line break (UserService.NAME)
        return replies.collect(others, id -> send(others, ClusterFrames.text(ClusterFrames.USER_STATUS, id, self,
                names))).thenApply(byNode -> {
                    Map<String, List<UserConnection>> result = new LinkedHashMap<>();
                    byNode.values().forEach(bytes -> UserConnections.merge(result, UserConnections.read(bytes)));
                    return result;
                });
    }

    @Override
    public CompletionStage<Integer> userChanged(String username, boolean removed) {
        List<String> others = otherNodes();
        if (others.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        byte type = removed ? ClusterFrames.USER_REMOVED : ClusterFrames.USER_CHANGED;
        return replies.request(others, id -> send(others, ClusterFrames.text(type, id, self, username)));
    }

    private void onFrame(byte[] data) {
        ClusterFrames.Frame frame;
        try {
            frame = ClusterFrames.read(data);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unreadable cluster frame ignored", e);
            return;
        }
        switch (frame.type()) {
            case ClusterFrames.FORWARD -> {
                forwarded.received().incrementAndGet();
                Set<String> sharesHere = shares.handOverMissing(frame);
                answerStored(frame, "Forwarded", inbound.deliverForwarded(frame.message(),
                        group -> sharesHere.contains(group.topicFilter())));
            }
            case ClusterFrames.RELAY -> answerStored(frame, "Relayed",
                    inbound.deliverRelayed(frame.text(), frame.message()));
            case ClusterFrames.FILTER_ADDED -> {
                remote.add(frame.origin(), frame.text());
                if (frame.requestId() != 0) {
                    reply(frame, true, 0);
                }
            }
            case ClusterFrames.FILTER_REMOVED -> remote.remove(frame.origin(), frame.text());
            case ClusterFrames.SHARE_MEMBERS, ClusterFrames.SHARE_HANDOVER -> shares.received(frame, inbound);
            case ClusterFrames.TAKE_OVER, ClusterFrames.RELEASE, ClusterFrames.FENCE ->
                    moves.received(frame, inbound, executor);
            case ClusterFrames.USER_STATUS -> {
                byte[] answer = UserConnections.write(inbound.userConnections(List.of(frame.text().split("\n"))));
                send(List.of(frame.origin()), ClusterFrames.dataReply(frame.requestId(), self, answer));
            }
            case ClusterFrames.USER_CHANGED, ClusterFrames.USER_REMOVED -> reply(frame, true,
                    inbound.userChanged(frame.text(), frame.type() == ClusterFrames.USER_REMOVED));
            case ClusterFrames.REPLY -> replies.replied(frame.requestId(), frame.origin(), frame.ok(),
                    frame.count());
            case ClusterFrames.DATA_REPLY -> replies.replied(frame.requestId(), frame.origin(), frame.data());
            default -> LOG.warning(() -> "Cluster frame of unknown type " + frame.type() + " ignored");
        }
    }

    /**
     * A message another node sent here to be stored (a forward or a relay): a failure is logged, and a confirmed one
     * (request id set) is answered with the sessions it reached, or as failed.
     */
    private void answerStored(ClusterFrames.Frame frame, String what, CompletionStage<Integer> delivered) {
        delivered.whenComplete((count, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, what + " message to " + frame.message().topic() + " could not be stored",
                        failure);
            }
            if (frame.requestId() != 0) {
                reply(frame, failure == null, failure == null ? count : 0);
            }
        });
    }

    private void reply(ClusterFrames.Frame request, boolean ok, int count) {
        send(List.of(request.origin()), ClusterFrames.reply(request.requestId(), self, ok, count));
    }

    private void send(Iterable<String> nodes, byte[] frame) {
        for (String node : nodes) {
            hazelcast.<byte[]>getTopic(INBOX_PREFIX + node).publish(frame);
        }
    }

    /** The members that run the broker: not the DAS or an instance without the application. */
    private List<String> otherNodes() {
        return nodes.others();
    }

    private boolean isMember(String node) {
        return nodes.isBroker(node);
    }

    /**
     * A node's broker is gone (its member left the grid, or its broker stopped): the oldest node adopts its sessions
     * before its filters go, so until then a publish here is forwarded to the gone node and fails (not acknowledged);
     * after, it finds the adopted subscriptions.
     */
    private void brokerLeft(String node) {
        if (oldest()) {
            inbound.nodeLeft(node);
        }
        nodeLeft(node);
    }

    /**
     * A node that joined after this one hears of this node's filters and share members. It read them in
     * the registry at its start, but an entry written while it was joining could be missed there, and the news of it
     * went only to the nodes known then; told twice is harmless (a set).
     */
    private void greet(String node) {
        localFilters.keySet().forEach(filter -> localFilters.computeIfPresent(filter, (f, count) -> {
            send(List.of(node), ClusterFrames.text(ClusterFrames.FILTER_ADDED, 0, self, f));
            return count;
        }));
        shares.greet(node);
    }

    /** A node left: its subscriptions and client ids are gone, and no reply is owed by it. */
    private void nodeLeft(String node) {
        nodes.memberLeft(node);
        remote.removeNode(node);
        shares.nodeLeft(node);
        replies.nodeLeft(node);
        moves.nodeLeft(node);
        inbound.nodeGone(node);
        hazelcast.getTopic(INBOX_PREFIX + node).destroy();
        try {
            clients.removeAll(Predicates.equal("this", node));
            filterRegistry.removeAll(Predicates.equal("this", node));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Entries of node " + node + " not removed (another node may have done it)", e);
        }
    }

    @Override
    public void close() {
        if (counterLog != null) {
            counterLog.cancel(false);
        }
        try {
            if (membershipListener != null) {
                hazelcast.getCluster().removeMembershipListener(membershipListener);
            }
            if (inboxListener != null) {
                inbox.removeMessageListener(inboxListener);
            }
            nodes.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Cluster listeners not removed (Hazelcast is stopping)", e);
        }
    }
}
