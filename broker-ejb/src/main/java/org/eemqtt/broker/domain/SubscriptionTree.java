package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All subscriptions, indexed by topic filter level by level, so that matching a topic costs the depth of the topic
 * rather than the number of subscriptions. Safe for concurrent matching and changes without a global lock; a
 * match running during a change may or may not see that change.
 */
public final class SubscriptionTree {

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final Map<String, Subscription> subscribers = new ConcurrentHashMap<>();
    }

    private final Node root = new Node();

    /** Adds or replaces the subscription of its client to its filter; returns the one it replaced, if any. */
    public Subscription add(Subscription subscription) {
        Node node = root;
        for (String level : subscription.topicFilter().split("/", -1)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        return node.subscribers.put(subscription.clientId(), subscription);
    }

    /** Removes exactly this subscription, if it is still the one its client holds for its filter. */
    public boolean remove(Subscription subscription) {
        Node node = root;
        for (String level : subscription.topicFilter().split("/", -1)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        return node.subscribers.remove(subscription.clientId(), subscription);
    }

    /** Calls {@code sink} with every subscription whose filter matches {@code topic}. */
    public void match(String topic, Consumer<Subscription> sink) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, topic.startsWith("$"), sink);
    }

    private static void match(Node node, String[] levels, int depth, boolean systemTopic,
                              Consumer<Subscription> sink) {
        boolean wildcardsAllowed = !(systemTopic && depth == 0);
        if (wildcardsAllowed) {
            Node multi = node.children.get("#");
            if (multi != null) {
                multi.subscribers.values().forEach(sink); // '#' also matches the parent level itself
            }
        }
        if (depth == levels.length) {
            node.subscribers.values().forEach(sink);
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
