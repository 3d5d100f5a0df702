package org.eemqtt.it.support;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a broker started by a test keeps its data, so that one test can run against each store by parameter:
 * {@code @ParameterizedTest @EnumSource(BrokerStore.class)}, then {@code try (BrokerStore.Open store =
 * kind.open("my-test")) { settings.putAll(store.brokerSettings()); ... }}. Every broker started with the same
 * settings (a restart, a second node) sees the same data until the store is closed.
 */
public enum BrokerStore {

    /** The embedded H2 file database in a fresh mqtt.data.dir under the IT work folder. */
    H2 {
        @Override
        public Open open(String name) {
            Path dataDir = ItSettings.workDir().resolve(name + "-data-" + Ids.suffix());
            return new Open(Map.of("mqtt.data.dir", dataDir.toString()), null);
        }
    },

    /** A private MariaDB server ({@link MariaDbServer}) and its database mqtt, through jdbc:mysql://. */
    MARIADB {
        @Override
        public Open open(String name) {
            MariaDbServer server = MariaDbServer.start();
            return new Open(server.database().brokerSettings(), server);
        }
    };

    /** Creates the store; close the returned handle at the end of the test. */
    public abstract Open open(String name);

    /**
     * An opened store.
     *
     * @param brokerSettings the mqtt.* settings that point a broker at it
     * @param mariaDb        the server behind it, or null for H2
     */
    public record Open(Map<String, String> brokerSettings, MariaDbServer mariaDb) implements AutoCloseable {

        @Override
        public void close() {
            if (mariaDb != null) {
                mariaDb.close();
            }
        }
    }
}
