package org.eemqtt.it.malformed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.it.support.MqttPackets.packet;
import static org.eemqtt.it.support.MqttPackets.properties;
import static org.eemqtt.it.support.MqttPackets.u16;
import static org.eemqtt.it.support.MqttPackets.utf8;
import static org.eemqtt.it.support.MqttPackets.utf8Bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Strings that are not well-formed UTF-8 or contain U+0000 make the packet malformed (3.1.1 MQTT-1.5.3-1,
 * MQTT-1.5.3-2; 5.0 MQTT-1.5.4-1, MQTT-1.5.4-2): 3.1.1 connections are closed without an answer, 5.0 ones get
 * DISCONNECT 0x81 (or CONNACK 0x81 when the CONNECT itself is bad). A fresh client is served afterwards.
 */
@ExtendWith(BrokerExtension.class)
class MalformedStringIT {

    private static final int MALFORMED_PACKET = 0x81;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** "a" then C3 28: a 2-byte lead byte followed by ASCII "(", so not UTF-8. */
    private static final byte[] INVALID_TOPIC = Hex.bytes("61 C3 28");

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void publishTopicWithInvalidUtf8Mqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("utf8-pub"), 30)) {
            // 30 LL | 00 03 61 C3 28 topic | 78 payload "x"
            c.sendQuietly(packet(0x30, utf8Bytes(INVALID_TOPIC), bytes("x")));
            BadInput.assertClosedSilently(c, "PUBLISH topic 61 C3 28 (3.1.1)");
        }
    }

    @Test
    void publishTopicWithInvalidUtf8Mqtt31IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect31(Ids.clientId("utf8-31"), 30)); // "MQIsdp" level 3, guest/guest
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            // 30 LL | 00 03 61 C3 28 topic | 78 payload "x"
            c.sendQuietly(packet(0x30, utf8Bytes(INVALID_TOPIC), bytes("x")));
            BadInput.assertClosedSilently(c, "PUBLISH topic 61 C3 28 (3.1)");
        }
    }

    @Test
    void publishTopicWithInvalidUtf8Mqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("utf8-pub5"), 30)) {
            // 30 LL | 00 03 61 C3 28 topic | 00 no properties | 78 payload "x"
            c.sendQuietly(packet(0x30, utf8Bytes(INVALID_TOPIC), new byte[] {0x00}, bytes("x")));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBLISH topic 61 C3 28 (5.0)");
        }
    }

    @Test
    void publishTopicWithOverlongEncodingMqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("utf8-ovl5"), 30)) {
            // topic "a" + C0 AF: the overlong 2-byte form of "/" (RFC 3629 forbids it)
            c.sendQuietly(packet(0x30, utf8Bytes(Hex.bytes("61 C0 AF")), new byte[] {0x00}, bytes("x")));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBLISH topic with overlong '/' (5.0)");
        }
    }

    @Test
    void subscribeFilterWithNullCharacterMqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("nul-sub"), 30)) {
            // 82 LL | 00 01 packet id | 00 03 61 00 62 filter "a" U+0000 "b" | 01 QoS 1; no SUBACK may come
            c.sendQuietly(packet(0x82, u16(1), utf8Bytes(Hex.bytes("61 00 62")), new byte[] {0x01}));
            BadInput.assertClosedSilently(c, "SUBSCRIBE filter with U+0000 (3.1.1)");
        }
    }

    @Test
    void unsubscribeFilterWithInvalidUtf8Mqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("bad-unsub"), 30)) {
            // A2 LL | 00 01 packet id | 00 02 61 FF filter "a" + FF (never valid UTF-8); no UNSUBACK may come
            c.sendQuietly(packet(0xA2, u16(1), utf8Bytes(Hex.bytes("61 FF"))));
            BadInput.assertClosedSilently(c, "UNSUBSCRIBE filter with FF (3.1.1)");
        }
    }

    @Test
    void subscribeFilterWithNullCharacterMqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("nul-sub5"), 30)) {
            // 82 LL | 00 01 packet id | 00 no properties | 00 03 61 00 62 filter | 01 QoS 1
            c.sendQuietly(packet(0x82, u16(1), new byte[] {0x00}, utf8Bytes(Hex.bytes("61 00 62")),
                    new byte[] {0x01}));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "SUBSCRIBE filter with U+0000 (5.0)");
        }
    }

    @Test
    void userPropertyWithSurrogateMqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("surr5"), 30)) {
            // user property: 26 | 00 01 6B name "k" | 00 03 ED A0 80 value = UTF-8 form of surrogate U+D800
            byte[] userProperty = Hex.concat(new byte[] {0x26}, utf8("k"), utf8Bytes(Hex.bytes("ED A0 80")));
            c.sendQuietly(packet(0x30, utf8(Ids.topicRoot("surr5")), properties(userProperty), bytes("x")));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "user property value U+D800 (5.0)");
        }
    }

    @Test
    void clientIdentifierWithInvalidUtf8Mqtt5GetsConnAck0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" 05 | C2 flags | 00 1E keep alive | 00 no properties |
            // 00 03 63 E2 82 client id "c" + a 3-byte sequence cut short | user, password "guest"
            c.sendQuietly(packet(0x10, utf8("MQTT"), Hex.bytes("05 C2 00 1E 00"),
                    utf8Bytes(Hex.bytes("63 E2 82")), utf8("guest"), utf8("guest")));
            // 20 03 | 00 no session | 81 malformed packet | 00 no properties
            BadInput.assertAnswerThenClose(c, Hex.bytes("20 03 00 81 00"), "CONNECT client id 63 E2 82 (5.0)");
        }
    }

    @Test
    void clientIdentifierWithInvalidUtf8Mqtt311IsClosedWithoutConnAck(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" 04 | C2 flags | 00 1E keep alive | 00 02 63 FF client id | guest/guest
            c.sendQuietly(packet(0x10, utf8("MQTT"), Hex.bytes("04 C2 00 1E"), utf8Bytes(Hex.bytes("63 FF")),
                    utf8("guest"), utf8("guest")));
            BadInput.assertClosedSilently(c, "CONNECT client id 63 FF (3.1.1)");
        }
    }

    @Test
    void wellFormedMultiByteTopicIsStillDelivered(RunningBroker broker) {
        // A topic with 2-, 3- and 4-byte characters and U+FFFF: the checks must not refuse valid UTF-8.
        String topic = Ids.topicRoot("utf8-ok") + "/é€\uD83D\uDE00\uFFFF";
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("utf8-ok"), 30)) {
            c.send(MqttPackets.subscribe(3, topic, 0, true));
            Packet subAck = c.readPacket(WAIT);
            assertThat(subAck.type()).as("SUBACK expected: %s", subAck).isEqualTo(Packet.SUBACK);
            assertThat(subAck.body()[subAck.body().length - 1]).as("granted QoS in %s", subAck).isZero();

            c.send(MqttPackets.publish(topic, 0, 0, bytes("hi"), true));
            Packet publish = c.readPacket(WAIT);
            assertThat(publish.type()).as("PUBLISH expected: %s", publish).isEqualTo(Packet.PUBLISH);
            // body: topic as a UTF-8 string field, property length 0, payload
            assertThat(publish.body()).isEqualTo(Hex.concat(utf8(topic), new byte[] {0x00}, bytes("hi")));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
