package org.eemqtt.broker.application;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;

import java.nio.file.Path;

/** The broker's settings, read once at start from MicroProfile Config ({@link Setting} names them all). */
public record BrokerSettings(int maxPacketSize, boolean allowAnonymous, int maxQueuedMessages, Path dataDir,
                             String databaseUrl, String databaseUser, String databasePassword, String logLevel) {

    public static BrokerSettings load() {
        Config config = ConfigProvider.getConfig(BrokerSettings.class.getClassLoader());
        Path dataDir = Path.of(value(config, Setting.DATA_DIR)).toAbsolutePath().normalize();
        String url = value(config, Setting.DB_URL);
        if (url.isEmpty()) {
            // WRITE_DELAY=0: a committed transaction is on disk before the commit returns.
            url = "jdbc:h2:file:" + dataDir.resolve("mqtt") + ";WRITE_DELAY=0";
        }
        return new BrokerSettings(
                intValue(config, Setting.MAX_PACKET_SIZE),
                Boolean.parseBoolean(value(config, Setting.ALLOW_ANONYMOUS)),
                intValue(config, Setting.MAX_QUEUED_MESSAGES),
                dataDir, url,
                value(config, Setting.DB_USER),
                value(config, Setting.DB_PASSWORD),
                value(config, Setting.LOG_LEVEL));
    }

    private static String value(Config config, Setting setting) {
        return config.getOptionalValue(setting.key(), String.class).orElse(setting.defaultValue()).trim();
    }

    private static int intValue(Config config, Setting setting) {
        String value = value(config, setting);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + setting.key() + " must be a whole number, not '" + value
                    + "'", e);
        }
    }
}
