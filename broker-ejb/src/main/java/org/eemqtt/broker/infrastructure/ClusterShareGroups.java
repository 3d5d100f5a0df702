package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.domain.FilterTree;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The share groups of the whole cluster (MQTT 5.0 4.8.2), by group ({@code $share/{name}/{filter}}) with the number of
 * members each node holds, this node included. The node that publishes a message chooses for each matching group
 * the one node whose member gets it, in turn over the members of all nodes: a node with three members gets three
 * turns in a row for one of a node with one, so that every member takes about the same share. That node then picks
 * one of its members as a single node does (connected with room first). Hazelcast-free: the cluster tells it what the
 * other nodes announce, and it tells the cluster, through {@link Announcer}, what this node's members change.
 */
final class ClusterShareGroups {

    /** Tells the other nodes (and the registry) how many members this node has in a group now. */
    interface Announcer {
        /** {@code confirmed}: the stage completes once every node knows; else at once. */
        CompletionStage<Void> announce(String group, int members, boolean confirmed);
    }

    /** One group's members by node, and whose turn it is. */
    private static final class Group {
        final Map<String, Integer> members = new ConcurrentHashMap<>();
        final AtomicInteger turn = new AtomicInteger();
    }

    private final String self;
    private final Announcer announcer;
    private final FilterTree<Map<String, Group>> groupsByFilter = new FilterTree<>(ConcurrentHashMap::new);
    private final Map<String, Integer> local = new ConcurrentHashMap<>();
    /** The groups each other node has members in, for when it leaves. */
    private final Map<String, Set<String>> groupsByNode = new ConcurrentHashMap<>();
    private volatile boolean started;

    ClusterShareGroups(String self, Announcer announcer) {
        this.self = self;
        this.announcer = announcer;
    }

    /**
     * Announces the members of sessions recovered before the cluster started; from now on every change is told.
     */
    void start() {
        started = true;
        local.forEach((group, members) -> announcer.announce(group, members, false));
    }

    /**
     * Tells {@code tell} this node's number of members in each group, each under its group's lock, so that no
     * change of the group is told before it (see {@link #added}).
     */
    void tellLocal(BiConsumer<String, Integer> tell) {
        local.keySet().forEach(group -> local.computeIfPresent(group, (g, members) -> {
            tell.accept(g, members);
            return members;
        }));
    }

    /** A local session joined {@code group}; the first member here waits until every node knows. */
    CompletionStage<Void> added(SharedFilter group) {
        return changeLocal(group, 1);
    }

    /** A local member left {@code group}. */
    void removed(SharedFilter group) {
        changeLocal(group, -1);
    }

    private CompletionStage<Void> changeLocal(SharedFilter shared, int delta) {
        String key = shared.topicFilter();
        @SuppressWarnings("unchecked")
        CompletionStage<Void>[] told = new CompletionStage[]{CompletableFuture.completedFuture(null)};
        // counted, recorded and told under the key's lock, so that the other nodes see the changes in their order
        local.compute(key, (k, count) -> {
            int now = Math.max(0, (count == null ? 0 : count) + delta);
            members(shared, self, now);
            if (started) {
                told[0] = announcer.announce(key, now, count == null);
            }
            return now == 0 ? null : now;
        });
        return told[0];
    }

    /** Another node announced its number of members in {@code group} (0: none left). */
    void remote(String node, String group, int members) {
        SharedFilter shared = SharedFilter.parse(group);
        if (shared != null && !node.equals(self)) {
            Set<String> groups = groupsByNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
            if (members > 0) {
                groups.add(group);
            } else {
                groups.remove(group);
            }
            members(shared, node, members);
        }
    }

    private void members(SharedFilter shared, String node, int members) {
        Map<String, Group> byName = groupsByFilter.at(shared.filter());
        byName.compute(shared.topicFilter(), (key, group) -> {
            Group g = group == null ? new Group() : group;
            if (members > 0) {
                g.members.put(node, members);
            } else {
                g.members.remove(node);
            }
            return g.members.isEmpty() ? null : g;
        });
    }

    /** A node left the cluster: its members are gone. */
    void removeNode(String node) {
        Set<String> groups = groupsByNode.remove(node);
        if (groups != null) {
            groups.forEach(group -> members(SharedFilter.parse(group), node, 0));
        }
    }

    /**
     * Chooses, for every group whose filter matches {@code topic}, the node that delivers the message to it: the
     * groups each node delivers for, by node (this node included).
     */
    Map<String, List<String>> assign(String topic) {
        Map<String, List<String>> byNode = new HashMap<>(2);
        groupsByFilter.match(topic, byName -> byName.forEach((key, group) -> {
            String node = choose(group);
            if (node != null) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>(1)).add(key);
            }
        }));
        return byNode;
    }

    /** The members this node has in {@code group} (its key, {@code $share/g/f}). */
    int localMembers(String group) {
        return local.getOrDefault(group, 0);
    }

    /**
     * Another node with members in {@code group}, for a message no member here can take, chosen in turn as for
     * {@link #assign}; null when there is none.
     */
    String otherNode(String group) {
        SharedFilter shared = SharedFilter.parse(group);
        Group g = shared == null ? null : groupsByFilter.at(shared.filter()).get(group);
        return g == null ? null : choose(g, self);
    }

    private static String choose(Group group) {
        return choose(group, null);
    }

    private static String choose(Group group, String except) {
        List<Map.Entry<String, Integer>> nodes = new ArrayList<>(group.members.entrySet());
        nodes.removeIf(node -> node.getKey().equals(except));
        int total = 0;
        for (Map.Entry<String, Integer> node : nodes) {
            total += node.getValue();
        }
        if (total == 0) {
            return null;
        }
        nodes.sort(Map.Entry.comparingByKey()); // the same order at every turn, whatever the map's
        int slot = Math.floorMod(group.turn.getAndIncrement(), total);
        for (Map.Entry<String, Integer> node : nodes) {
            slot -= node.getValue();
            if (slot < 0) {
                return node.getKey();
            }
        }
        return null; // not reached: the slots add up to total
    }
}
