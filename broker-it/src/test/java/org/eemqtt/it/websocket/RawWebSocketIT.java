package org.eemqtt.it.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.it.support.MqttPackets.CONNACK_ACCEPTED;
import static org.eemqtt.it.support.MqttPackets.connect311;
import static org.eemqtt.it.support.MqttPackets.connect5;
import static org.eemqtt.it.support.MqttPackets.publish;
import static org.eemqtt.it.support.MqttPackets.subscribe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT over WebSocket with the bytes and frames chosen by the test (java.net.http.WebSocket): packets split over
 * frames and packed several to a frame (MQTT-6.0.0-2), text frames (MQTT-6.0.0-1), subprotocol choice
 * (MQTT-6.0.0-4) and the TCP listener's rules (connect timeout, keep-alive, malformed packets) on this transport.
 */
@ExtendWith(BrokerExtension.class)
class RawWebSocketIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int WS_PROTOCOL_ERROR = 1002;
    private static final int WS_CANNOT_ACCEPT = 1003;

    @Test
    void packetSplitOverSeveralFramesIsDecoded() {
        byte[] connect = connect311(Ids.clientId("ws-split"), 30);
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            // three separate binary messages, the middle one a single byte
            ws.send(Arrays.copyOfRange(connect, 0, 3));
            ws.send(Arrays.copyOfRange(connect, 3, 4));
            ws.send(Arrays.copyOfRange(connect, 4, connect.length));
            assertThat(ws.awaitPackets(1, WAIT).get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
        }
    }

    @Test
    void packetSplitOverContinuationFramesIsDecoded() {
        byte[] connect = connect5(Ids.clientId("ws-cont"), 30);
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            // one WebSocket message in three frames (binary + continuation + final continuation)
            ws.sendPart(Arrays.copyOfRange(connect, 0, 5), false);
            ws.sendPart(Arrays.copyOfRange(connect, 5, 9), false);
            ws.sendPart(Arrays.copyOfRange(connect, 9, connect.length), true);
            Packet connAck = ws.awaitPackets(1, WAIT).get(0);
            assertThat(connAck.type()).isEqualTo(Packet.CONNACK);
            assertThat(connAck.connackCode()).isZero();
        }
    }

    @Test
    void severalPacketsInOneFrameAreAllHandled() {
        String topic = Ids.topicRoot("ws-multi");
        byte[] payload = "packed".getBytes(StandardCharsets.UTF_8);
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            // CONNECT, SUBSCRIBE, PUBLISH QoS 1 to itself and PINGREQ in one frame; the last one cut in half
            byte[] all = Hex.concat(connect311(Ids.clientId("ws-multi"), 30), subscribe(1, topic, 1, false),
                    publish(topic, 1, 2, payload, false), MqttPackets.PINGREQ);
            ws.send(Arrays.copyOfRange(all, 0, all.length - 1));
            ws.send(Arrays.copyOfRange(all, all.length - 1, all.length));

            List<Packet> packets = ws.awaitPackets(5, WAIT);
            assertThat(packets).extracting(Packet::type)
                    .containsExactlyInAnyOrder(Packet.CONNACK, Packet.SUBACK, Packet.PUBACK, Packet.PUBLISH,
                            Packet.PINGRESP);
            assertThat(packets.get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
            Packet delivered = packets.stream().filter(p -> p.type() == Packet.PUBLISH).findFirst().orElseThrow();
            assertThat(new String(delivered.body(), StandardCharsets.UTF_8)).endsWith("packed");
        }
    }

    @Test
    void brokerPrefersSubprotocolMqtt() {
        try (RawWebSocket ws = RawWebSocket.open("mqttv3.1", "mqtt")) {
            assertThat(ws.subprotocol()).isEqualTo("mqtt");
        }
        try (RawWebSocket ws = RawWebSocket.open("mqttv3.1")) {
            // Paho JavaScript offers only this name for MQTT 3.1
            assertThat(ws.subprotocol()).isEqualTo("mqttv3.1");
            ws.send(MqttPackets.connect31(Ids.clientId("ws31"), 30));
            assertThat(ws.awaitPackets(1, WAIT).get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
        }
    }

    @Test
    void clientOfferingNoMqttSubprotocolIsRefused() {
        for (String[] offered : List.of(new String[] {"chat"}, new String[0])) {
            try (RawWebSocket ws = RawWebSocket.open(offered)) {
                assertThat(ws.subprotocol()).as("offered %s", Arrays.toString(offered)).isEmpty();
                assertThat(ws.awaitClose(WAIT)).isEqualTo(WS_PROTOCOL_ERROR);
                assertThat(ws.completePackets()).isEmpty();
            }
        }
    }

    @Test
    void textFrameClosesTheConnection() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(connect311(Ids.clientId("ws-text"), 30));
            assertThat(ws.awaitPackets(1, WAIT).get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
            ws.sendText("PINGREQ as text");
            assertThat(ws.awaitClose(WAIT)).isEqualTo(WS_CANNOT_ACCEPT);
            assertThat(ws.completePackets()).hasSize(1); // no PINGRESP
        }
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.sendText("hello"); // before CONNECT too
            assertThat(ws.awaitClose(WAIT)).isEqualTo(WS_CANNOT_ACCEPT);
        }
    }

    @Test
    void textFrameClosesAMqtt5Connection() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(connect5(Ids.clientId("ws-text5"), 30));
            assertThat(ws.awaitPackets(1, WAIT).get(0).connackCode()).isZero();
            ws.sendText("\u00c0\u0000"); // a PINGREQ's bytes, but as text
            assertThat(ws.awaitClose(WAIT)).isEqualTo(WS_CANNOT_ACCEPT);
            assertThat(ws.completePackets()).hasSize(1);
        }
    }

    @Test
    void malformedPacketClosesOnlyThatConnection() {
        try (RawWebSocket healthy = RawWebSocket.open("mqtt"); RawWebSocket bad = RawWebSocket.open("mqtt")) {
            healthy.send(connect311(Ids.clientId("ws-ok"), 30));
            assertThat(healthy.awaitPackets(1, WAIT)).hasSize(1);
            bad.send(connect311(Ids.clientId("ws-bad"), 30));
            assertThat(bad.awaitPackets(1, WAIT)).hasSize(1);
            bad.send(MqttPackets.subscribe(0x80, 1, "a/b", 0, false)); // reserved flags 0000: malformed
            bad.awaitClose(WAIT);

            healthy.send(MqttPackets.PINGREQ);
            assertThat(healthy.awaitPackets(2, WAIT).get(1).raw()).isEqualTo(MqttPackets.PINGRESP);
        }
    }

    @Test
    void packetJustUnderTheMaximumSizeTravelsInOneFrameBothWays() {
        String topic = Ids.topicRoot("ws-big");
        byte[] payload = new byte[1_000_000];
        Arrays.fill(payload, (byte) 'x');
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(Hex.concat(connect311(Ids.clientId("ws-big"), 30), subscribe(1, topic, 0, false)));
            assertThat(ws.awaitPackets(2, WAIT)).hasSize(2);
            ws.send(publish(topic, 0, 0, payload, false));
            Packet delivered = ws.awaitPackets(3, WAIT).get(2);
            assertThat(delivered.type()).isEqualTo(Packet.PUBLISH);
            assertThat(delivered.body().length).isEqualTo(2 + topic.length() + payload.length);
        }
    }

    @Test
    void tooLargePacketIsRefusedAsOnTcp() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(connect5(Ids.clientId("ws-large"), 30));
            assertThat(ws.awaitPackets(1, WAIT).get(0).connackCode()).isZero();
            // the broker's maximum packet size is 1 MiB: announce 2 MiB, send the first 64 KiB
            byte[] header = Hex.concat(new byte[] {0x30}, MqttPackets.varInt(2 << 20));
            ws.send(Hex.concat(header, new byte[64 * 1024]));
            List<Packet> packets = ws.awaitPackets(2, WAIT);
            assertThat(packets.get(1).type()).isEqualTo(Packet.DISCONNECT);
            assertThat(packets.get(1).disconnectReason()).isEqualTo(0x95); // packet too large
            ws.awaitClose(WAIT);
        }
    }

    @Test
    void connectionWithoutConnectIsClosedAfterTheConnectTimeout() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            long start = System.nanoTime();
            ws.awaitClose(Duration.ofSeconds(BrokerExtension.CONNECT_TIMEOUT_SECONDS + 10));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(BrokerExtension.CONNECT_TIMEOUT_SECONDS - 1));
        }
    }

    @Test
    void silentClientIsClosedAfterOneAndAHalfKeepAlives() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(connect311(Ids.clientId("ws-keep"), 2));
            assertThat(ws.awaitPackets(1, WAIT)).hasSize(1);
            long start = System.nanoTime();
            ws.awaitClose(Duration.ofSeconds(10));
            Duration silent = Duration.ofNanos(System.nanoTime() - start);
            assertThat(silent).isBetween(Duration.ofMillis(2500), Duration.ofMillis(6000));
        }
    }

    @Test
    void brokerLearnsWhenAWebSocketConnectionEnds(RunningBroker broker) throws Exception {
        // the will of a silent WebSocket client reaches a TCP subscriber: the broker was told of the keep-alive end
        String willTopic = Ids.topicRoot("ws-will");
        RecordingCallback wills = new RecordingCallback();
        MqttClient tcp = PahoClients.connect(broker, Ids.clientId("ws-will-sub"), true, wills);
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            tcp.subscribe(willTopic, 1);
            ws.send(connectWithWill(Ids.clientId("ws-will"), 1, willTopic, "gone quiet"));
            assertThat(ws.awaitPackets(1, WAIT).get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
            ws.awaitClose(WAIT);
            RecordingCallback.Received will = wills.next(WAIT);
            assertThat(will.text()).isEqualTo("gone quiet");
        } finally {
            PahoClients.closeQuietly(tcp);
        }
    }

    @Test
    void brokerLearnsWhenTheSocketDrops(RunningBroker broker) throws Exception {
        String willTopic = Ids.topicRoot("ws-drop");
        RecordingCallback wills = new RecordingCallback();
        MqttClient tcp = PahoClients.connect(broker, Ids.clientId("ws-drop-sub"), true, wills);
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            tcp.subscribe(willTopic, 1);
            ws.send(connectWithWill(Ids.clientId("ws-drop"), 60, willTopic, "dropped"));
            assertThat(ws.awaitPackets(1, WAIT).get(0).raw()).isEqualTo(CONNACK_ACCEPTED);
            ws.abort(); // TCP closed without a WebSocket close frame or DISCONNECT
            assertThat(wills.next(WAIT).text()).isEqualTo("dropped");
        } finally {
            PahoClients.closeQuietly(tcp);
        }
    }

    /** 3.1.1 CONNECT with guest/guest, clean session and a QoS 1 will. */
    private static byte[] connectWithWill(String clientId, int keepAlive, String willTopic, String willMessage) {
        byte[] message = willMessage.getBytes(StandardCharsets.UTF_8);
        return MqttPackets.packet(0x10, MqttPackets.utf8("MQTT"), new byte[] {4, (byte) (0x80 | 0x40 | 0x08 | 0x04
                        | 0x02)}, MqttPackets.u16(keepAlive), MqttPackets.utf8(clientId), MqttPackets.utf8(willTopic),
                MqttPackets.u16(message.length), message, MqttPackets.utf8(MqttPackets.GUEST),
                MqttPackets.utf8(MqttPackets.GUEST));
    }

    @Test
    void pingsKeepTheConnectionOpen() {
        try (RawWebSocket ws = RawWebSocket.open("mqtt")) {
            ws.send(connect311(Ids.clientId("ws-ping"), 1));
            assertThat(ws.awaitPackets(1, WAIT)).hasSize(1);
            for (int i = 0; i < 6; i++) {
                sleep(Duration.ofMillis(700));
                ws.send(MqttPackets.PINGREQ);
            }
            assertThat(ws.awaitPackets(7, WAIT)).hasSize(7);
            assertThat(ws.isClosed()).isFalse();
        }
    }

    private static void sleep(Duration duration) {
        org.eemqtt.it.support.Await.sleep(duration);
    }
}
