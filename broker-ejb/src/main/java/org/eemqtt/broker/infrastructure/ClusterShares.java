package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.application.Cluster;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The share groups' side of {@link HazelcastCluster}: tells the other nodes this node's members per group (frame
 * {@link ClusterFrames#SHARE_MEMBERS}, and the map {@code eemqtt.shares}, key {@code node|$share/g/f}, for nodes
 * that join later) and keeps the cluster's view in {@link ClusterShareGroups}.
 */
final class ClusterShares {

    private static final Logger LOG = Logger.getLogger(ClusterShares.class.getName());

    private final String self;
    private final PendingReplies replies;
    private final BiConsumer<List<String>, byte[]> send;
    private final Supplier<List<String>> otherNodes;
    private final IMap<String, Integer> registry;
    private final ClusterShareGroups groups;

    ClusterShares(HazelcastInstance hazelcast, String self, PendingReplies replies,
                  BiConsumer<List<String>, byte[]> send, Supplier<List<String>> otherNodes) {
        this.self = self;
        this.replies = replies;
        this.send = send;
        this.otherNodes = otherNodes;
        this.registry = hazelcast.getMap("eemqtt.shares");
        this.groups = new ClusterShareGroups(self, this::announce);
    }

    /** Reads the members of nodes already there, then announces this node's (of recovered sessions). */
    void start(Predicate<String> isMember) {
        registry.forEach((key, members) -> {
            String node = key.substring(0, key.indexOf('|'));
            if (isMember.test(node)) {
                groups.remote(node, key.substring(node.length() + 1), members);
            }
        });
        groups.start();
    }

    CompletionStage<Void> added(SharedFilter group) {
        return groups.added(group);
    }

    void removed(SharedFilter group) {
        groups.removed(group);
    }

    /** The groups matching {@code topic} that each node delivers for (see {@link ClusterShareGroups#assign}). */
    Map<String, List<String>> assign(String topic) {
        return groups.assign(topic);
    }

    /**
     * Hands a message no member here can take to another node with members of {@code group}; false when there is
     * none.
     */
    boolean handOver(Message message, String group) {
        String node = groups.otherNode(group);
        if (node == null) {
            return false;
        }
        send.accept(List.of(node), ClusterFrames.handOver(self, message, group));
        return true;
    }

    /**
     * Forwards a message published here to {@code targets} (the nodes with a matching non-shared filter) and to
     * the node chosen for each matching share group; each target learns which groups it delivers for. QoS 1/2:
     * {@code remote} completes once every target accepted it.
     */
    Cluster.Forwarding forward(Message message, Set<String> targets, AtomicLong sent) {
        Map<String, List<String>> sharesByNode = groups.assign(message.topic());
        List<String> sharesHere = sharesByNode.getOrDefault(self, List.of());
        targets.addAll(sharesByNode.keySet());
        targets.remove(self);
        sent.addAndGet(targets.size());
        LongConsumer sendAll = id -> targets.forEach(node -> send.accept(List.of(node), ClusterFrames.forward(id,
                self, message, sharesByNode.getOrDefault(node, List.of()))));
        CompletionStage<Integer> confirmed = CompletableFuture.completedFuture(0);
        if (message.qos() == QoS.AT_MOST_ONCE) {
            sendAll.accept(0);
        } else if (!targets.isEmpty()) {
            // a target that leaves before it replied fails the forward: whether it stored the message is unknown
            confirmed = replies.requestStored(targets, sendAll);
        }
        return new Cluster.Forwarding(confirmed, group -> sharesHere.contains(group.topicFilter()));
    }

    /**
     * The share groups a forward names that this node delivers for. One without a member here any more (the last
     * one left after the sending node chose this node) goes on to another node, which delivers it instead.
     */
    Set<String> handOverMissing(ClusterFrames.Frame forward) {
        Set<String> here = new HashSet<>(forward.shares());
        here.removeIf(group -> groups.localMembers(group) == 0 && handOver(forward.message(), group));
        return here;
    }

    /**
     * Another node's {@link ClusterFrames#SHARE_MEMBERS} (confirmed when it asks for a reply) or
     * {@link ClusterFrames#SHARE_HANDOVER}.
     */
    void received(ClusterFrames.Frame frame, Cluster.Inbound inbound) {
        if (frame.type() == ClusterFrames.SHARE_HANDOVER) {
            inbound.deliverToShareGroup(frame.message(), SharedFilter.parse(frame.text()));
            return;
        }
        groups.remote(frame.origin(), frame.text(), frame.count());
        if (frame.requestId() != 0) {
            send.accept(List.of(frame.origin()), ClusterFrames.reply(frame.requestId(), self, true, 0));
        }
    }

    /** A node this one just learnt of: it hears of this node's members, whatever it read in the registry. */
    void greet(String node) {
        groups.tellLocal((group, members) -> send.accept(List.of(node),
                ClusterFrames.shareMembers(0, self, group, members)));
    }

    /** A node left: its members are gone (also from the registry, whichever node gets there first). */
    void nodeLeft(String node) {
        groups.removeNode(node);
        try {
            registry.keySet().stream().filter(key -> key.startsWith(node + "|")).forEach(registry::delete);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Share groups of node " + node + " not removed from the registry", e);
        }
    }

    private CompletionStage<Void> announce(String group, int members, boolean confirmed) {
        String key = self + "|" + group;
        if (members == 0) {
            registry.removeAsync(key);
        } else {
            registry.setAsync(key, members);
        }
        List<String> others = otherNodes.get();
        if (!confirmed || others.isEmpty()) {
            send.accept(others, ClusterFrames.shareMembers(0, self, group, members));
            return CompletableFuture.completedFuture(null);
        }
        return replies.request(others, id -> send.accept(others, ClusterFrames.shareMembers(id, self, group,
                members))).handle((count, failure) -> {
                    if (failure != null) {
                        // the registry has it: a node that missed the news still finds it there when it restarts
                        LOG.warning(() -> "Share group " + group + " not confirmed by every node: "
                                + failure.getMessage());
                    }
                    return null;
                });
    }
}
