package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All shared subscriptions, indexed like the non-shared ones: a {@link FilterTree} by the filter after the share
 * name, holding per filter the groups by share name. Matching a topic thus costs its depth, not the number of
 * groups. A group is dropped when its last member leaves.
 */
public final class SharedSubscriptions {

    private final FilterTree<Map<String, ShareGroup>> tree = new FilterTree<>(ConcurrentHashMap::new);

    /**
     * Adds {@code subscription} (whose topic filter is {@code shared.topicFilter()}) to its group, or replaces the
     * one its client held there; returns the replaced one, if any.
     */
    public Subscription add(SharedFilter shared, Subscription subscription) {
        Subscription[] replaced = new Subscription[1];
        // compute: atomic with a concurrent remove that could otherwise drop the group this member joins
        tree.at(shared.filter()).compute(shared.shareName(), (name, group) -> {
            ShareGroup joined = group == null ? new ShareGroup(shared) : group;
            replaced[0] = joined.put(subscription);
            return joined;
        });
        return replaced[0];
    }

    /** Removes exactly this membership, if its client still holds it. */
    public boolean remove(SharedFilter shared, Subscription subscription) {
        Map<String, ShareGroup> groups = tree.find(shared.filter());
        if (groups == null) {
            return false;
        }
        boolean[] removed = new boolean[1];
        groups.computeIfPresent(shared.shareName(), (name, group) -> {
            removed[0] = group.remove(subscription);
            return group.isEmpty() ? null : group;
        });
        return removed[0];
    }

    /** The group of this share name on this filter, or null when it has no members. */
    public ShareGroup group(SharedFilter shared) {
        Map<String, ShareGroup> groups = tree.find(shared.filter());
        return groups == null ? null : groups.get(shared.shareName());
    }

    /** Calls {@code sink} with every group whose filter matches {@code topic}. */
    public void match(String topic, Consumer<ShareGroup> sink) {
        tree.match(topic, groups -> groups.values().forEach(sink));
    }
}
