package org.eemqtt.broker.infrastructure;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The data grid members that run the broker, in the Hazelcast map {@code eemqtt.nodes} (member id to node name).
 *
 * <p>Why not every Hazelcast member: on Payara Server the DAS and instances without {@code broker.ear} are members of
 * the domain's data grid too, and a request that waits for every node (a SUBACK's filter, the users API) would wait
 * for them until {@code mqtt.cluster.timeout}. A node enters itself when its broker starts and removes itself when
 * the broker stops (undeploy: the others then treat it as a node that left); the others remove a member that left
 * the grid without doing so (killed).
 *
 * <p>Each node keeps a local copy, updated by the map's events, so that asking for the other nodes is no remote
 * call; a member that left the grid is not counted even while its entry is still there.
 */
final class BrokerNodes implements AutoCloseable {

    static final String MAP = "eemqtt.nodes";
    private static final Logger LOG = Logger.getLogger(BrokerNodes.class.getName());

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> registry;
    private final String self;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Members whose broker stopped while they stay in the grid: they own no session any more. */
    private final Set<String> stoppedNodes = ConcurrentHashMap.newKeySet();
    /** Told the number of broker nodes whenever a node came or went. */
    private final IntConsumer changed;
    /** Told a node whose broker stopped while its member stays in the grid (undeployed there). */
    private final Consumer<String> stopped;
    /**
     * Told a node that entered the registry after this one (not those read at the join: what this node announces
     * after its join reaches them anyway).
     */
    private final Consumer<String> joined;
    private UUID listener;

    BrokerNodes(HazelcastInstance hazelcast, String self, IntConsumer changed, Consumer<String> stopped) {
        this(hazelcast, self, changed, stopped, node -> { });
    }

    BrokerNodes(HazelcastInstance hazelcast, String self, IntConsumer changed, Consumer<String> stopped,
                Consumer<String> joined) {
        this.hazelcast = hazelcast;
        this.registry = hazelcast.getMap(MAP);
        this.self = self;
        this.changed = changed;
        this.stopped = stopped;
        this.joined = joined;
    }

    /** Enters this node under {@code name} and starts following the others. */
    void join(String name) {
        // listening first, then reading: a node entering in between is seen at least once
        listener = registry.addEntryListener(new Events(), false);
        registry.set(self, name);
        registry.keySet().forEach(node -> added(node, false));
        added(self, false);
    }

    /** The other members that run the broker now. */
    List<String> others() {
        List<String> others = new ArrayList<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            String node = member.getUuid().toString();
            if (!node.equals(self) && known.contains(node)) {
                others.add(node);
            }
        }
        return others;
    }

    /** Whether {@code node} is a member of the grid now and runs the broker. */
    boolean isBroker(String node) {
        if (!known.contains(node)) {
            return false;
        }
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(node)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code node} runs the broker, asking the map for a node not seen yet (at start, before this node
     * follows the map; a remote call then).
     */
    boolean runsBroker(String node) {
        return known.contains(node) || registry.containsKey(node);
    }

    /** A member left the grid: it runs no broker any more, whether or not it removed its entry. */
    void memberLeft(String node) {
        stoppedNodes.remove(node);
        if (known.remove(node)) {
            changed.accept(known.size());
        }
        try {
            registry.delete(node);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Entry of node " + node + " not removed (another node may have done it)", e);
        }
    }

    /** Whether {@code node}'s broker stopped while its member stays in the grid. */
    boolean stopped(String node) {
        return stoppedNodes.contains(node);
    }

    private void added(String node, boolean joinedLater) {
        stoppedNodes.remove(node);
        if (known.add(node)) {
            changed.accept(known.size());
            if (joinedLater && !node.equals(self)) {
                joined.accept(node);
            }
        }
    }

    private void removed(String node) {
        if (known.remove(node)) {
            stoppedNodes.add(node);
            changed.accept(known.size());
            stopped.accept(node);
        }
    }

    /** The broker stops here (undeploy, shutdown): the other nodes stop asking this one. */
    @Override
    public void close() {
        try {
            if (listener != null) {
                registry.removeEntryListener(listener);
            }
            registry.delete(self);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Node " + self + " not removed from " + MAP + " (Hazelcast is stopping)", e);
        }
    }

    private final class Events implements EntryAddedListener<String, String>, EntryRemovedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            added(event.getKey(), true);
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            removed(event.getKey());
        }
    }
}
