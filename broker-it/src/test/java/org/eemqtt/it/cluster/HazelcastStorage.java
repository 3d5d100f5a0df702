package org.eemqtt.it.cluster;

import java.util.HashMap;
import java.util.Map;

/** The {@code hazelcast} storage: nothing to start, the nodes' own Hazelcast members hold the store's maps. */
final class HazelcastStorage implements SharedSessions.Storage {

    private final Map<String, String> settings = new HashMap<>(Map.of("mqtt.storage", "hazelcast"));

    HazelcastStorage() {
    }

    /** With more settings for both nodes. */
    HazelcastStorage(Map<String, String> more) {
        settings.putAll(more);
    }

    @Override
    public Map<String, String> brokerSettings() {
        return Map.copyOf(settings);
    }

    @Override
    public void close() {
        // the maps go with the members
    }
}
