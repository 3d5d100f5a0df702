package org.eemqtt.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.PahoClients;
import org.junit.jupiter.api.Test;

/**
 * The users store is a file database that survives a restart: the second start of a broker on the same data folder
 * finds the users of the first (it does not create the default user again) and logins still work.
 */
class UserStoreRestartIT {

    private static final Duration START = Duration.ofSeconds(180);

    @Test
    void usersSurviveARestartOnTheSameDataFolder() throws Exception {
        int mqttPort = ItSettings.mqttPort() + 10;
        String httpPort = String.valueOf(ItSettings.httpPort() + 20);
        String dataDir = ItSettings.workDir().resolve("restart-data-" + Ids.suffix()).toString();
        Map<String, String> settings = Map.of("mqtt.tcp.port", String.valueOf(mqttPort), "mqtt.data.dir", dataDir);

        try (BrokerProcess first = BrokerProcess.start("restart-first", settings, List.of("--port", httpPort))) {
            BrokerReadiness.awaitReady(first, ItSettings.HOST, mqttPort, START);
            assertThat(first.logText()).contains("created user 'guest'");
            PahoClients.loginAsGuest(mqttPort, "guest");
        }
        try (BrokerProcess second = BrokerProcess.start("restart-second", settings, List.of("--port", httpPort))) {
            BrokerReadiness.awaitReady(second, ItSettings.HOST, mqttPort, START);
            assertThat(second.logText())
                    .as("the second start reuses the stored users")
                    .contains("Store open: jdbc:h2:file:")
                    .doesNotContain("created user 'guest'");
            PahoClients.loginAsGuest(mqttPort, "guest");
            assertThatThrownBy(() -> PahoClients.loginAsGuest(mqttPort, "not-the-password"))
                    .isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        }
    }
}
