package org.eemqtt.it.durability;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The seam for running the durability tests against another database: the broker settings of its store. By default
 * the embedded H2 file database in the test's own data folder; with the system properties {@code it.db.url} (and
 * {@code it.db.user}, {@code it.db.password}) the broker uses that database instead, e.g. a private MariaDB started
 * by the build. A test class may also pass its own instance (see {@link #of}).
 */
record StoreUnderTest(String url, String user, String password) {

    /** From the system properties, or the embedded H2 default when {@code it.db.url} is not set. */
    static StoreUnderTest fromSystemProperties() {
        return new StoreUnderTest(System.getProperty("it.db.url", ""), System.getProperty("it.db.user", ""),
                System.getProperty("it.db.password", ""));
    }

    static StoreUnderTest of(String url, String user, String password) {
        return new StoreUnderTest(url, user, password);
    }

    boolean isEmbedded() {
        return url.isEmpty();
    }

    /** The settings of a broker whose H2 data (when embedded) lives in {@code dataDir}, the same across restarts. */
    Map<String, String> brokerSettings(Path dataDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mqtt.data.dir", dataDir.toString());
        if (!isEmbedded()) {
            settings.put("mqtt.db.url", url);
            settings.put("mqtt.db.user", user);
            settings.put("mqtt.db.password", password);
        }
        return settings;
    }

    @Override
    public String toString() {
        return isEmbedded() ? "embedded H2" : url.replaceAll("\\?.*", "");
    }
}
