package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Values indexed by topic filter level by level, so that finding the values of every filter that matches a topic
 * costs the depth of the topic rather than the number of filters. Each node carries one value, made when the node
 * is first reached. Safe for concurrent use without a global lock; a match running during a change may or may not
 * see that change. Nodes are never pruned (as before: the tree of normal subscriptions never was either).
 *
 * @param <V> what a filter holds (the subscriptions to it, or the share groups on it); must be thread-safe itself
 */
public final class FilterTree<V> {

    private final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final V value = factory.get();
    }

    private final Supplier<V> factory;
    private final Node root;

    public FilterTree(Supplier<V> factory) {
        this.factory = factory;
        this.root = new Node();
    }

    /** The value of {@code filter}, made (with its path) when the filter was never seen. */
    public V at(String filter) {
        Node node = root;
        for (String level : filter.split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        return node.value;
    }

    /** The value of {@code filter}, or null when the filter was never seen. */
    public V find(String filter) {
        Node node = root;
        for (String level : filter.split("/", -1)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node.value;
    }

    /** Calls {@code sink} with the value of every filter that matches {@code topic} (a valid topic name). */
    public void match(String topic, Consumer<V> sink) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, topic.startsWith("$"), sink);
    }

    private void match(Node node, String[] levels, int depth, boolean systemTopic, Consumer<V> sink) {
        boolean wildcardsAllowed = !(systemTopic && depth == 0); // MQTT-4.7.2-1
        if (wildcardsAllowed) {
            Node multi = node.children.get("#");
            if (multi != null) {
                sink.accept(multi.value); // '#' also matches the parent level itself
            }
        }
        if (depth == levels.length) {
            sink.accept(node.value);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            match(exact, levels, depth + 1, systemTopic, sink);
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                match(single, levels, depth + 1, systemTopic, sink);
            }
        }
    }
}
