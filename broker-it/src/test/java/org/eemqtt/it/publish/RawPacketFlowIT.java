package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The acknowledgement flows of SUBSCRIBE, UNSUBSCRIBE and PUBLISH QoS 1/2, byte by byte (MQTT 3.1.1). */
@ExtendWith(BrokerExtension.class)
class RawPacketFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void subscribeAndUnsubscribeAreAcknowledged(RunningBroker broker) {
        String filter = Ids.topicRoot("raw-sub") + "/+/x/#";
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-sub"), 30)) {
            // 82 LL | 00 07 packet id | filter | 02 max QoS 2
            c.send(MqttPackets.subscribe(7, filter, 2, false));
            // 90 03 | 00 07 packet id | 02 granted QoS 2
            c.expectBytes(Hex.bytes("90 03 00 07 02"), WAIT);
            // A2 LL | 00 08 packet id | filter
            c.send(MqttPackets.unsubscribe(8, filter, false));
            // B0 02 | 00 08 packet id
            c.expectBytes(Hex.bytes("B0 02 00 08"), WAIT);
        }
    }

    @Test
    void mqtt5SubscribeIsAcknowledgedWithReasonCode(RunningBroker broker) {
        String filter = Ids.topicRoot("raw-sub5") + "/#";
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("raw-sub5"), 30)) {
            c.send(MqttPackets.subscribe(9, filter, 1, true));
            Packet subAck = c.readPacket(WAIT);
            assertThat(subAck.type()).as("packet type of %s", subAck).isEqualTo(Packet.SUBACK);
            assertThat(subAck.packetId()).isEqualTo(9);
            // body: packet id (2) | property length + properties | one reason code: 0x01 granted QoS 1
            assertThat(subAck.body()[subAck.body().length - 1]).as("reason code in %s", subAck).isEqualTo((byte) 1);
        }
    }

    @Test
    void qos1PublishIsAcknowledgedWithPuback(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-q1"), 30)) {
            // 32 LL | topic | 01 2C packet id 300 | payload
            c.send(MqttPackets.publish(Ids.topicRoot("raw-q1"), 1, 300, bytes("one"), false));
            // 40 02 | 01 2C
            c.expectBytes(Hex.bytes("40 02 01 2C"), WAIT);
        }
    }

    @Test
    void qos2PublishRunsTheFourWayHandshake(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-q2"), 30)) {
            // 34 LL | topic | 00 2A packet id 42 | payload
            c.send(MqttPackets.publish(Ids.topicRoot("raw-q2"), 2, 42, bytes("two"), false));
            c.expectBytes(Hex.bytes("50 02 00 2A"), WAIT); // PUBREC, packet id 42
            c.send(MqttPackets.pubrel(42)); // 62 02 00 2A
            c.expectBytes(Hex.bytes("70 02 00 2A"), WAIT); // PUBCOMP, packet id 42
        }
    }

    @Test
    void qos1DeliveryToARawSubscriber(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-deliver");
        try (RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-rsub"), 30);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-rpub"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);

            pub.send(MqttPackets.publish(topic, 1, 5, bytes("payload-1"), false));
            pub.expectBytes(Hex.bytes("40 02 00 05"), WAIT);

            Packet delivered = sub.readPacket(WAIT);
            // 32 = PUBLISH, QoS 1, no DUP, no RETAIN
            assertThat(delivered.firstByte()).as("first byte of %s", delivered).isEqualTo(0x32);
            int packetId = assertPublishOf(delivered, topic, "payload-1");
            sub.send(MqttPackets.puback(packetId));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void qos2DeliveryToARawSubscriberRunsTheFourWayHandshake(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-deliver2");
        try (RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-rsub2"), 30);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-rpub2"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 2, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 02"), WAIT);

            pub.send(MqttPackets.publish(topic, 2, 6, bytes("payload-2"), false));
            pub.expectBytes(Hex.bytes("50 02 00 06"), WAIT); // PUBREC
            pub.send(MqttPackets.pubrel(6));
            pub.expectBytes(Hex.bytes("70 02 00 06"), WAIT); // PUBCOMP

            Packet delivered = sub.readPacket(WAIT);
            // 34 = PUBLISH, QoS 2, no DUP, no RETAIN
            assertThat(delivered.firstByte()).as("first byte of %s", delivered).isEqualTo(0x34);
            int packetId = assertPublishOf(delivered, topic, "payload-2");
            byte[] id = MqttPackets.u16(packetId);
            sub.send(MqttPackets.packet(0x50, id)); // PUBREC from the subscriber
            sub.expectBytes(MqttPackets.packet(0x62, id), WAIT); // PUBREL from the broker
            sub.send(MqttPackets.packet(0x70, id)); // PUBCOMP from the subscriber
            // Nothing else (no re-delivery) before the PINGRESP.
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    /** Checks topic and payload of a delivered 3.1.1 PUBLISH with QoS > 0 and returns its packet id. */
    private static int assertPublishOf(Packet delivered, String topic, String payload) {
        byte[] body = delivered.body();
        byte[] topicField = MqttPackets.utf8(topic);
        assertThat(java.util.Arrays.copyOf(body, topicField.length)).as("topic in %s", delivered)
                .isEqualTo(topicField);
        int idPos = topicField.length;
        int packetId = ((body[idPos] & 0xFF) << 8) | (body[idPos + 1] & 0xFF);
        assertThat(packetId).as("packet id of a PUBLISH with QoS > 0 in %s", delivered).isNotZero();
        assertThat(new String(body, idPos + 2, body.length - idPos - 2, StandardCharsets.UTF_8))
                .as("payload of %s", delivered).isEqualTo(payload);
        return packetId;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
