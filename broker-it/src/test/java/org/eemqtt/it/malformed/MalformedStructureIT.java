package org.eemqtt.it.malformed;

import static org.eemqtt.it.support.MqttPackets.packet;
import static org.eemqtt.it.support.MqttPackets.u16;
import static org.eemqtt.it.support.MqttPackets.utf8;

import java.nio.charset.StandardCharsets;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Packet structure: packet identifier 0, SUBSCRIBE options, empty SUBSCRIBE/UNSUBSCRIBE payloads, unknown 5.0
 * reason codes, CONNECT flags and bytes after the last field. 3.1.1: closed without an answer; 5.0: DISCONNECT
 * 0x81 (malformed) or 0x82 (protocol error). A fresh client is served afterwards.
 */
@ExtendWith(BrokerExtension.class)
class MalformedStructureIT {

    private static final int MALFORMED_PACKET = 0x81;
    private static final int PROTOCOL_ERROR = 0x82;
    private static final byte[] NO_PROPERTIES = {0x00};

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void publishQos1WithPacketId0Mqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("pid0"), 30)) {
            // 32 LL | topic | 00 00 packet id 0 (MQTT-2.3.1-1) | payload; no PUBACK may come
            c.sendQuietly(MqttPackets.publish(Ids.topicRoot("pid0"), 1, 0, bytes("x"), false));
            BadInput.assertClosedSilently(c, "PUBLISH QoS 1 with packet id 0 (3.1.1)");
        }
    }

    @Test
    void publishQos2WithPacketId0Mqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("pid0-5"), 30)) {
            // 34 LL | topic | 00 00 packet id 0 (5.0 MQTT-2.2.1-3) | 00 no properties | payload
            c.sendQuietly(MqttPackets.publish(Ids.topicRoot("pid0-5"), 2, 0, bytes("x"), true));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBLISH QoS 2 with packet id 0 (5.0)");
        }
    }

    @Test
    void subscribeWithPacketId0Mqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("spid0-5"), 30)) {
            c.sendQuietly(MqttPackets.subscribe(0, Ids.topicRoot("spid0-5"), 1, true)); // packet id 00 00
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "SUBSCRIBE with packet id 0 (5.0)");
        }
    }

    @Test
    void subscribeReservedOptionBitsMqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("sopt"), 30)) {
            // options 05: QoS 1 plus bit 2, reserved in 3.1.1 (MQTT-3-8.3-4, so numbered in the 3.1.1 spec)
            c.sendQuietly(MqttPackets.subscribe(1, Ids.topicRoot("sopt"), 0x05, false));
            BadInput.assertClosedSilently(c, "SUBSCRIBE options 05 (3.1.1)");
        }
    }

    @Test
    void subscribeReservedOptionBitsMqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("sopt5"), 30)) {
            // options 41: QoS 1 plus bit 6, reserved in 5.0 (MQTT-3.8.3-5)
            c.sendQuietly(MqttPackets.subscribe(1, Ids.topicRoot("sopt5"), 0x41, true));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "SUBSCRIBE options 41 (5.0)");
        }
    }

    @Test
    void subscribeRetainHandling3GetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("rh3"), 30)) {
            // options 30: retain handling 3, "It is a Protocol Error to send a Retain Handling value of 3"
            c.sendQuietly(MqttPackets.subscribe(1, Ids.topicRoot("rh3"), 0x30, true));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "SUBSCRIBE retain handling 3");
        }
    }

    @Test
    void subscribeWithoutFiltersMqtt5GetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("nosub5"), 30)) {
            c.sendQuietly(Hex.bytes("82 03 00 01 00")); // SUBSCRIBE, packet id 1, no properties, no filter
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "SUBSCRIBE without a topic filter (5.0)");
        }
    }

    @Test
    void unsubscribeWithoutFiltersMqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("nounsub"), 30)) {
            c.sendQuietly(Hex.bytes("A2 02 00 01")); // UNSUBSCRIBE, packet id 1, no filter (MQTT-3.10.3-2)
            BadInput.assertClosedSilently(c, "UNSUBSCRIBE without a topic filter (3.1.1)");
        }
    }

    @Test
    void trailingGarbageAfterPingreqMqtt311IsClosedSilently(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("trail"), 30)) {
            c.sendQuietly(Hex.bytes("C0 02 DE AD")); // PINGREQ carrying two bytes it may not have
            BadInput.assertClosedSilently(c, "PINGREQ with 2 trailing bytes (3.1.1)");
        }
    }

    @Test
    void trailingGarbageAfterUnsubscribeMqtt5GetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("trail5"), 30)) {
            // A2 LL | 00 01 packet id | 00 no properties | filter | FF: one byte, too short for another filter
            c.sendQuietly(packet(0xA2, u16(1), NO_PROPERTIES, utf8(Ids.topicRoot("trail5")), new byte[] {-1}));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "UNSUBSCRIBE with a trailing byte (5.0)");
        }
    }

    @Test
    void pubAckWithUndefinedReasonCodeGetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("rc-ack"), 30)) {
            c.sendQuietly(Hex.bytes("40 03 00 01 01")); // PUBACK packet id 1, reason 0x01: not a PUBACK code
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBACK reason code 0x01");
        }
    }

    @Test
    void connectWithWillQos3Mqtt5GetsConnAck0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" 05 | 1E flags: will QoS 3, will flag, clean start | 00 1E keep alive |
            // 00 no properties | client id | 00 will properties | will topic "w" | will payload ""
            c.sendQuietly(packet(0x10, utf8("MQTT"), Hex.bytes("05 1E 00 1E 00"), utf8(Ids.clientId("wq3")),
                    NO_PROPERTIES, utf8("w"), u16(0)));
            // 20 03 | 00 | 81 malformed packet | 00
            BadInput.assertAnswerThenClose(c, Hex.bytes("20 03 00 81 00"), "CONNECT will QoS 3 (5.0)");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
