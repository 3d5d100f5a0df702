package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All non-shared subscriptions, indexed by topic filter level by level (a {@link FilterTree}), so that matching a
 * topic costs the depth of the topic rather than the number of subscriptions. Safe for concurrent matching and
 * changes without a global lock; a match running during a change may or may not see that change.
 */
public final class SubscriptionTree {

    /** Per filter: the subscription of each client id. */
    private final FilterTree<Map<String, Subscription>> tree = new FilterTree<>(ConcurrentHashMap::new);

    /** Adds or replaces the subscription of its client to its filter; returns the one it replaced, if any. */
    public Subscription add(Subscription subscription) {
        return tree.at(subscription.topicFilter()).put(subscription.clientId(), subscription);
    }

    /** Removes exactly this subscription, if it is still the one its client holds for its filter. */
    public boolean remove(Subscription subscription) {
        Map<String, Subscription> subscribers = tree.find(subscription.topicFilter());
        return subscribers != null && subscribers.remove(subscription.clientId(), subscription);
    }

    /** Calls {@code sink} with every subscription whose filter matches {@code topic}. */
    public void match(String topic, Consumer<Subscription> sink) {
        tree.match(topic, subscribers -> subscribers.values().forEach(sink));
    }
}
