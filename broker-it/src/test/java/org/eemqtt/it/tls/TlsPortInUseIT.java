package org.eemqtt.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second broker whose TLS port is held (by the shared broker) names port and setting and exits with status 1. */
@ExtendWith(BrokerExtension.class)
class TlsPortInUseIT {

    private static final Duration LOG_WAIT = Duration.ofSeconds(120);

    @Test
    void secondBrokerOnTheSameTlsPortReportsPortAndSetting(RunningBroker shared) throws Exception {
        String tlsPort = String.valueOf(ItSettings.tlsPort());
        Map<String, String> settings = Map.of("mqtt.tcp.port", String.valueOf(ItSettings.mqttPort() + 47),
                "mqtt.tls.port", tlsPort);
        try (BrokerProcess second = BrokerProcess.start("tls-port-in-use", settings,
                List.of("--port", String.valueOf(ItSettings.httpPort() + 47)))) {
            Await.until(LOG_WAIT, () -> second.logText().lines().anyMatch(line -> line.contains("mqtt.tls.port")
                            && line.contains(tlsPort) && line.contains("MQTT_TLS_PORT")),
                    () -> "a log line naming port " + tlsPort + " and mqtt.tls.port\n" + second.describe());
            Await.until(LOG_WAIT, () -> !second.isAlive(), () -> "the broker exits\n" + second.describe());
            assertThat(second.exitCode()).as("exit status; %s", second.describe()).isEqualTo(1);
        }
        BadInput.assertBrokerStillServes(shared);
    }
}
