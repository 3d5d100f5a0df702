package org.eemqtt.broker.application;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** The broker's settings, read once at start from MicroProfile Config ({@link Setting} names them all). */
public record BrokerSettings(ProtocolSettings protocol, String deniedFilters, boolean allowAnonymous, int maxQueuedMessages, long maxQueuedBytes,
                             int maxInFlightMessages,
                             Path dataDir,
                             String databaseUrl, String databaseUser, String databasePassword, String logLevel,
                             int connectTimeoutSeconds) {

    public static BrokerSettings load() {
        Config config = ConfigProvider.getConfig(BrokerSettings.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        Path dataDir = Path.of(Setting.DATA_DIR.value(lookup)).toAbsolutePath().normalize();
        String url = Setting.DB_URL.value(lookup);
        if (url.isEmpty()) {
            // WRITE_DELAY=0: a committed transaction is on disk before the commit returns.
            url = "jdbc:h2:file:" + dataDir.resolve("mqtt") + ";WRITE_DELAY=0";
        }
        return new BrokerSettings(
                ProtocolSettings.load(lookup),
                Setting.DENIED_FILTERS.value(lookup),
                Setting.ALLOW_ANONYMOUS.booleanValue(lookup),
                Setting.MAX_QUEUED_MESSAGES.intValue(lookup),
                Setting.MAX_QUEUED_BYTES.intValue(lookup),
                Setting.MAX_INFLIGHT_MESSAGES.intValue(lookup),
                dataDir, url,
                Setting.DB_USER.value(lookup),
                Setting.DB_PASSWORD.value(lookup),
                Setting.LOG_LEVEL.value(lookup),
                Setting.CONNECT_TIMEOUT.intValue(lookup));
    }
}
