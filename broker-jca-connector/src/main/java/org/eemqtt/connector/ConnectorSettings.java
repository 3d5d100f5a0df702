package org.eemqtt.connector;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;
import org.eemqtt.api.tls.TlsConfig;

import java.util.Optional;
import java.util.function.Function;

/** The listeners' settings, read once per activation from MicroProfile Config. */
record ConnectorSettings(String bindAddress, int tcpPort, int maxPacketSize, int connectTimeoutSeconds,
                         boolean exitOnStartFailure, TlsConfig tls) {

    static ConnectorSettings load() {
        Config config = ConfigProvider.getConfig(ConnectorSettings.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        return new ConnectorSettings(
                Setting.BIND_ADDRESS.value(lookup),
                Setting.TCP_PORT.intValue(lookup),
                Setting.MAX_PACKET_SIZE.intValue(lookup),
                Setting.CONNECT_TIMEOUT.intValue(lookup),
                Setting.EXIT_ON_START_FAILURE.booleanValue(lookup),
                TlsConfig.from(lookup));
    }
}
