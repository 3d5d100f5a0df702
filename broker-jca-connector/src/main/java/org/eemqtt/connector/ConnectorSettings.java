package org.eemqtt.connector;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;

import java.util.Optional;

/** The listeners' settings, read once per activation from MicroProfile Config. */
record ConnectorSettings(String bindAddress, int tcpPort, int maxPacketSize, int connectTimeoutSeconds,
                         boolean exitOnStartFailure) {

    static ConnectorSettings load() {
        Config config = ConfigProvider.getConfig(ConnectorSettings.class.getClassLoader());
        return new ConnectorSettings(
                value(config, Setting.BIND_ADDRESS),
                intValue(config, Setting.TCP_PORT),
                intValue(config, Setting.MAX_PACKET_SIZE),
                intValue(config, Setting.CONNECT_TIMEOUT),
                Boolean.parseBoolean(value(config, Setting.EXIT_ON_START_FAILURE)));
    }

    private static String value(Config config, Setting setting) {
        Optional<String> value = config.getOptionalValue(setting.key(), String.class);
        return value.filter(v -> !v.isBlank()).orElse(setting.defaultValue()).trim();
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
