package org.eemqtt.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second broker whose MQTT port is already held (by the shared broker) must say so: its log names the port and
 * the setting mqtt.tcp.port, and it exits with status 1. The shared broker must not be disturbed.
 */
@ExtendWith(BrokerExtension.class)
class PortInUseIT {

    private static final Duration LOG_WAIT = Duration.ofSeconds(120);
    private static final int CONTEXT_LINES = 3;

    @Test
    void secondBrokerOnTheSamePortReportsPortAndSetting(RunningBroker shared) throws Exception {
        String port = String.valueOf(shared.port());
        Map<String, String> settings = new LinkedHashMap<>();
        if (shared.port() != 1883) {
            settings.put("mqtt.tcp.port", port); // otherwise the default 1883 is the one in use
        }
        String found;
        Integer exitCode;
        try (BrokerProcess second = BrokerProcess.start("port-in-use", settings, List.of("--port", "8090"))) {
            found = awaitMessageNaming(second, port);
            exitCode = awaitExit(second);
        }
        assertThat(found).contains("mqtt.tcp.port");
        // The uber-jar sets mqtt.exit.on.start.failure: a Micro process without its listener ends with status 1.
        assertThat(exitCode).as("exit status of the broker whose port was taken").isEqualTo(1);

        // The shared broker still serves, raw and with a real client.
        BadInput.assertBrokerStillServes(shared);
        RecordingCallback received = new RecordingCallback();
        MqttClient client = PahoClients.connect(shared, Ids.clientId("after-clash"), true, received);
        try {
            String topic = Ids.topicRoot("after-clash");
            client.subscribe(topic, 1);
            client.publish(topic, PahoClients.utf8("still here"), 1, false);
            assertThat(received.next(Duration.ofSeconds(15)).text()).isEqualTo("still here");
        } finally {
            PahoClients.closeQuietly(client);
        }
    }

    private static Integer awaitExit(BrokerProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
        }
        return process.exitCode();
    }

    /**
     * Waits until the log has a line with "mqtt.tcp.port" and the port number on it or within 3 lines of it (one
     * log record may span lines), and returns that passage.
     */
    private static String awaitMessageNaming(BrokerProcess process, String port) {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            boolean alive = process.isAlive(); // read before the log, so an exited process's log is read complete
            String[] lines = process.logText().split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("mqtt.tcp.port")) {
                    int from = Math.max(0, i - CONTEXT_LINES);
                    int to = Math.min(lines.length, i + CONTEXT_LINES + 1);
                    String passage = String.join("\n", java.util.Arrays.copyOfRange(lines, from, to));
                    if (passage.contains(port)) {
                        return passage;
                    }
                }
            }
            if (!alive) {
                break; // the process had ended before the log was read: nothing more will come
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("The second broker's log has no message naming port " + port
                + " together with the setting mqtt.tcp.port. " + process.describe());
    }
}
