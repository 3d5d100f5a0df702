package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT-3.1.2-24/25: the broker sends a 5.0 client nothing larger than the Maximum Packet Size of its CONNECT and
 * discards what does not fit, exactly at the boundary. The client is mosquitto_sub with a CONNECT property.
 */
@ExtendWith(BrokerExtension.class)
class MaximumPacketSizeIT {

    private static final int MAXIMUM_PACKET_SIZE = 200;

    @Test
    void publishesLargerThanTheClientsMaximumAreDiscarded(RunningBroker broker) {
        Path logs = ItSettings.workDir().resolve("max-packet-size");
        String port = String.valueOf(broker.port());
        String topic = Ids.topicRoot("max-size");
        // PUBLISH QoS 1 to a 5.0 client: 1 byte type + 2 bytes remaining length (128..16383) + 2 + topic
        // + 2 (packet id) + 1 (property length 0) + payload = 200 bytes for this payload:
        int fits = MAXIMUM_PACKET_SIZE - 3 - 2 - topic.length() - 2 - 1;

        ProcessRunner.Running subscriber = ProcessRunner.start(List.of("mosquitto_sub", "-d", "-p", port,
                "-u", "guest", "-P", "guest", "-V", "mqttv5", "-D", "connect", "maximum-packet-size",
                String.valueOf(MAXIMUM_PACKET_SIZE), "-t", topic, "-q", "1", "-C", "2", "-W", "20", "-F", "%l"),
                null, logs);
        ProcessRunner.Result received;
        try {
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!subscriber.stdoutSoFar().contains("SUBACK") && System.nanoTime() - until < 0) {
                Await.sleep(Duration.ofMillis(50));
            }
            for (int length : new int[] {fits + 1, fits, 10}) {
                ProcessRunner.Result published = ProcessRunner.run(List.of("mosquitto_pub", "-p", port, "-u",
                        "guest", "-P", "guest", "-V", "mqttv5", "-t", topic, "-q", "1", "-m", "x".repeat(length)),
                        null, logs, Duration.ofSeconds(20));
                assertThat(published.succeeded()).as(published.describe()).isTrue();
            }
        } finally {
            received = subscriber.finish(Duration.ofSeconds(30));
        }
        // -F %l prints each payload's length; -d adds protocol lines, which are not numbers.
        List<String> lengths = Arrays.stream(received.stdout().split("\n"))
                .filter(line -> line.matches("\\d+")).toList();
        assertThat(lengths).as("payload lengths received:\n%s", received.describe())
                .containsExactly(String.valueOf(fits), "10");
        assertThat(received.exitCode()).as(received.describe()).isZero();
    }
}
