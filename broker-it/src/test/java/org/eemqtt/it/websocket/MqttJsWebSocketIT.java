package org.eemqtt.it.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT.js (Node) over ws:// talking to TCP clients (mosquitto_pub/sub, Paho Java) through the same broker: one
 * protocol engine for both transports, messages in both directions, none lost, in order.
 */
@ExtendWith(BrokerExtension.class)
class MqttJsWebSocketIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static String url() {
        return RawWebSocket.endpoint().toString();
    }

    @ParameterizedTest(name = "MQTT.js protocol version {0}")
    @ValueSource(strings = {"4", "5"})
    void webSocketClientReceivesFromMosquittoPubOverTcp(String version, RunningBroker broker) {
        String topic = Ids.topicRoot("ws-in");
        ProcessRunner.Running sub = NodeMqtt.start("ws-sub", "ws-sub.js", url(), topic, "1", version);
        try {
            Await.until(Duration.ofSeconds(30), () -> sub.stdoutSoFar().contains("SUBSCRIBED") || !sub.isAlive(),
                    () -> "MQTT.js did not subscribe over WebSocket");
            ProcessRunner.Result pub = ProcessRunner.run(List.of("mosquitto_pub", "-p", String.valueOf(broker.port()),
                    "-u", "guest", "-P", "guest", "-q", "1", "-t", topic, "-m", "over tcp " + version), null,
                    ItSettings.workDir().resolve("ws-mosquitto"), Duration.ofSeconds(20));
            assertThat(pub.succeeded()).as(pub.describe()).isTrue();
        } finally {
            ProcessRunner.Result received = sub.finish(LIMIT);
            assertThat(received.exitCode()).as(received.describe()).isZero();
            assertThat(received.stdout()).as(received.describe()).contains("MSG over tcp " + version);
        }
    }

    @ParameterizedTest(name = "MQTT.js protocol version {0}")
    @ValueSource(strings = {"4", "5"})
    void mosquittoSubOverTcpReceivesFromWebSocketClient(String version, RunningBroker broker) {
        String topic = Ids.topicRoot("ws-out");
        ProcessRunner.Running sub = ProcessRunner.start(List.of("mosquitto_sub", "-p", String.valueOf(broker.port()),
                "-u", "guest", "-P", "guest", "-q", "1", "-t", topic, "-C", "1", "-W", "40"), null,
                ItSettings.workDir().resolve("ws-mosquitto"));
        sub.publishUntilExited(() -> {
            ProcessRunner.Result pub = NodeMqtt.start("ws-pub", "ws-pub.js", url(), topic, "1", version, "over ws ")
                    .finish(LIMIT);
            assertThat(pub.succeeded()).as(pub.describe()).isTrue();
        });
        ProcessRunner.Result received = sub.finish(LIMIT);
        assertThat(received.exitCode()).as(received.describe()).isZero();
        assertThat(received.stdout()).as(received.describe()).isEqualTo("over ws 0\n");
    }

    @Test
    void thousandsOfMessagesBothWaysArriveInOrder(RunningBroker broker) throws Exception {
        int count = 3000;
        String toWs = Ids.topicRoot("ws-bulk-in");
        String fromWs = Ids.topicRoot("ws-bulk-out");
        RecordingCallback tcpReceived = new RecordingCallback();
        MqttClient tcp = PahoClients.connect(broker, Ids.clientId("tcp-bulk"), true, tcpReceived);
        ProcessRunner.Running wsSub = NodeMqtt.start("ws-sub", "ws-sub.js", url(), toWs, String.valueOf(count), "5");
        try {
            tcp.subscribe(fromWs, 1);
            Await.until(Duration.ofSeconds(30), () -> wsSub.stdoutSoFar().contains("SUBSCRIBED") || !wsSub.isAlive(),
                    () -> "MQTT.js did not subscribe over WebSocket");
            // TCP -> WebSocket
            for (int i = 0; i < count; i++) {
                MqttMessage message = new MqttMessage(PahoClients.utf8("t" + i));
                message.setQos(1);
                tcp.publish(toWs, message);
            }
            // WebSocket -> TCP, all in flight at once
            ProcessRunner.Result pub = NodeMqtt.start("ws-pub", "ws-pub.js", url(), fromWs, String.valueOf(count),
                    "4", "w").finish(LIMIT);
            assertThat(pub.succeeded()).as(pub.describe()).isTrue();

            ProcessRunner.Result received = wsSub.finish(LIMIT);
            assertThat(received.exitCode()).as(received.describe()).isZero();
            List<String> lines = received.stdout().lines().filter(l -> l.startsWith("MSG ")).toList();
            assertThat(lines).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "MSG t" + i).toList());

            Await.until(Duration.ofSeconds(30), () -> tcpReceived.all().size() >= count,
                    () -> "TCP subscriber got " + tcpReceived.all().size() + " of " + count);
            assertThat(tcpReceived.all()).extracting(RecordingCallback.Received::text)
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "w" + i).toList());
        } finally {
            wsSub.kill();
            PahoClients.closeQuietly(tcp);
        }
    }
}
