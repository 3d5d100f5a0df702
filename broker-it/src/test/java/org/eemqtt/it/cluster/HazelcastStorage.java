package org.eemqtt.it.cluster;

import java.util.Map;

/** The {@code hazelcast} storage: nothing to start, the nodes' own Hazelcast members hold the store's maps. */
final class HazelcastStorage implements SharedSessions.Storage {

    @Override
    public Map<String, String> brokerSettings() {
        return Map.of("mqtt.storage", "hazelcast");
    }

    @Override
    public void close() {
        // the maps go with the members
    }
}
