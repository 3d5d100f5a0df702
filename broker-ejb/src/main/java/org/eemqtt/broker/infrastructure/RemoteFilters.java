package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.domain.FilterTree;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's view of the topic filters the other nodes' sessions subscribe to, by node: matching a topic gives the
 * nodes a message must go to, at the cost of the topic's depth (the same {@link FilterTree} as local subscriptions).
 */
final class RemoteFilters {

    private final FilterTree<Set<String>> nodesByFilter = new FilterTree<>(ConcurrentHashMap::newKeySet);
    private final Map<String, Set<String>> filtersByNode = new ConcurrentHashMap<>();

    void add(String node, String filter) {
        filtersByNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(filter);
        nodesByFilter.at(filter).add(node);
    }

    void remove(String node, String filter) {
        Set<String> filters = filtersByNode.get(node);
        if (filters != null) {
            filters.remove(filter);
        }
        Set<String> nodes = nodesByFilter.find(filter);
        if (nodes != null) {
            nodes.remove(node);
        }
    }

    /** A node left the cluster: none of its subscriptions stands any more. */
    void removeNode(String node) {
        Set<String> filters = filtersByNode.remove(node);
        if (filters != null) {
            filters.forEach(filter -> {
                Set<String> nodes = nodesByFilter.find(filter);
                if (nodes != null) {
                    nodes.remove(node);
                }
            });
        }
    }

    /** The nodes with at least one filter matching {@code topic}. */
    Set<String> nodesFor(String topic) {
        Set<String> nodes = new HashSet<>(2);
        nodesByFilter.match(topic, nodes::addAll);
        return nodes;
    }
}
