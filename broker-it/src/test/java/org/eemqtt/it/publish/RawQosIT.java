package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Publish311;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * QoS delivery rules on the wire (MQTT 3.1.1, 4.3 and 4.6): exactly once for a retransmitted QoS 2 PUBLISH, unique
 * packet identifiers in flight, order per topic for pipelined publishes, one copy for overlapping subscriptions.
 * "Nothing else arrived" is a PINGREQ answered by a PINGRESP as the very next packet.
 */
@ExtendWith(BrokerExtension.class)
class RawQosIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void retransmittedQos2PublishBeforePubrelIsAcknowledgedButNotDeliveredAgain(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-exactly");
        try (RawConnection sub = subscriber(broker, topic, 2);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-q2pub"), 30)) {
            byte[] publish = MqttPackets.publish(topic, 2, 10, "once".getBytes(), false); // 34 | topic | 00 0A
            pub.send(publish);
            pub.expectBytes(Hex.bytes("50 02 00 0A"), WAIT); // PUBREC 10
            pub.send(Publish311.withDup(publish)); // 3C: the same PUBLISH again, DUP set, before PUBREL
            pub.expectBytes(Hex.bytes("50 02 00 0A"), WAIT); // MQTT-4.3.3-2: PUBREC again
            pub.send(MqttPackets.pubrel(10));
            pub.expectBytes(Hex.bytes("70 02 00 0A"), WAIT); // PUBCOMP 10

            Publish311 delivered = Publish311.read(sub, WAIT);
            assertThat(delivered.payload()).isEqualTo("once");
            completeQos2(sub, delivered.packetId());
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT); // MQTT-4.3.3-2: no duplicate to the subscriber

            // After PUBCOMP the identifier is free: the same id now carries a new message, delivered.
            pub.send(MqttPackets.publish(topic, 2, 10, "new".getBytes(), false));
            pub.expectBytes(Hex.bytes("50 02 00 0A"), WAIT);
            pub.send(MqttPackets.pubrel(10));
            pub.expectBytes(Hex.bytes("70 02 00 0A"), WAIT);
            Publish311 next = Publish311.read(sub, WAIT);
            assertThat(next.payload()).isEqualTo("new");
            completeQos2(sub, next.packetId());
        }
    }

    @Test
    void dupOfAnIncomingPublishIsNotPassedOn(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-dup");
        try (RawConnection sub = subscriber(broker, topic, 2);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-duppub"), 30)) {
            // 3A = QoS 1 with DUP set, as a client sends after a lost connection; new to the broker
            pub.send(Publish311.withDup(MqttPackets.publish(topic, 1, 3, "dup".getBytes(), false)));
            pub.expectBytes(Hex.bytes("40 02 00 03"), WAIT);
            Publish311 delivered = Publish311.read(sub, WAIT);
            // MQTT-3.3.1-3: the outgoing DUP is the broker's own (first attempt: 0): 32, not 3A
            assertThat(delivered.firstByte()).as("first byte of %s", delivered).isEqualTo(0x32);
            sub.send(MqttPackets.puback(delivered.packetId()));
        }
    }

    @Test
    void messagesInFlightToAClientHaveDistinctPacketIdsAndKeepTheirOrder(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-ids");
        int count = 30;
        try (RawConnection sub = subscriber(broker, topic, 1);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-idpub"), 30)) {
            for (int i = 1; i <= count; i++) { // pipelined: no wait for the PUBACKs
                pub.send(MqttPackets.publish(topic, 1, i, ("m" + i).getBytes(), false));
            }
            for (int i = 1; i <= count; i++) {
                pub.expectBytes(MqttPackets.puback(i), WAIT);
            }
            Set<Integer> ids = new HashSet<>();
            List<String> payloads = new ArrayList<>();
            for (int i = 1; i <= count; i++) { // none acknowledged yet: all 30 are in flight at once
                Publish311 p = Publish311.read(sub, WAIT);
                assertThat(p.firstByte()).as("first byte of %s", p).isEqualTo(0x32);
                assertThat(p.packetId()).as("packet id of %s", p).isBetween(1, 65535);
                ids.add(p.packetId());
                payloads.add(p.payload());
            }
            assertThat(ids).as("MQTT-2.3.1-2/-4: unused identifiers for messages in flight").hasSize(count);
            assertThat(payloads).as("MQTT-4.6.0-6: in the order received from the publisher")
                    .containsExactlyElementsOf(expected(count));
            ids.forEach(id -> sub.send(MqttPackets.puback(id)));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void pipelinedQos2MessagesOnOneTopicArriveInOrder(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-order2");
        int count = 20;
        try (RawConnection sub = subscriber(broker, topic, 2);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-o2pub"), 30)) {
            for (int i = 1; i <= count; i++) {
                pub.send(MqttPackets.publish(topic, 2, i, ("m" + i).getBytes(), false));
            }
            for (int i = 1; i <= count; i++) {
                pub.expectBytes(MqttPackets.packet(0x50, MqttPackets.u16(i)), WAIT); // PUBREC i
            }
            for (int i = 1; i <= count; i++) {
                pub.send(MqttPackets.pubrel(i));
                pub.expectBytes(MqttPackets.packet(0x70, MqttPackets.u16(i)), WAIT); // PUBCOMP i
            }
            List<Publish311> delivered = new ArrayList<>();
            for (int i = 1; i <= count; i++) { // all in flight before the subscriber answers any
                delivered.add(Publish311.read(sub, WAIT));
            }
            assertThat(delivered).extracting(Publish311::qos).containsOnly(2);
            assertThat(delivered).extracting(Publish311::payload).as("MQTT-4.6.0-6 at QoS 2")
                    .containsExactlyElementsOf(expected(count));
            delivered.forEach(p -> completeQos2(sub, p.packetId()));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyAtTheHighestGrantedQos(RunningBroker broker) {
        String root = Ids.topicRoot("raw-overlap");
        try (RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-ovsub"), 30);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-ovpub"), 30)) {
            sub.send(MqttPackets.subscribe(1, root + "/#", 0, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 00"), WAIT);
            sub.send(MqttPackets.subscribe(2, root + "/+", 2, false));
            sub.expectBytes(Hex.bytes("90 03 00 02 02"), WAIT);
            sub.send(MqttPackets.subscribe(3, root + "/a", 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 03 01"), WAIT);

            pub.send(MqttPackets.publish(root + "/a", 2, 1, "q2".getBytes(), false));
            pub.expectBytes(Hex.bytes("50 02 00 01"), WAIT);
            pub.send(MqttPackets.pubrel(1));
            pub.expectBytes(Hex.bytes("70 02 00 01"), WAIT);
            Publish311 copy = Publish311.read(sub, WAIT);
            // MQTT-3.3.5-1: one copy, at the maximum QoS of the matching subscriptions (2, from root/+)
            assertThat(copy.firstByte()).as("first byte of %s", copy).isEqualTo(0x34);
            completeQos2(sub, copy.packetId());
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);

            pub.send(MqttPackets.publish(root + "/a", 1, 2, "q1".getBytes(), false));
            pub.expectBytes(Hex.bytes("40 02 00 02"), WAIT);
            Publish311 second = Publish311.read(sub, WAIT);
            assertThat(second.firstByte()).as("one copy at min(published 1, granted 2)").isEqualTo(0x32);
            sub.send(MqttPackets.puback(second.packetId()));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    private static RawConnection subscriber(RunningBroker broker, String filter, int qos) {
        RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-qsub"), 30);
        sub.send(MqttPackets.subscribe(1, filter, qos, false));
        sub.expectBytes(Hex.bytes("90 03 00 01 0" + qos), WAIT);
        return sub;
    }

    /** PUBREC, the broker's PUBREL, PUBCOMP: the subscriber's side of a QoS 2 delivery. */
    private static void completeQos2(RawConnection sub, int packetId) {
        byte[] id = MqttPackets.u16(packetId);
        sub.send(MqttPackets.packet(0x50, id));
        Packet pubRel = sub.readPacket(WAIT);
        assertThat(pubRel.raw()).as("PUBREL for %d", packetId).isEqualTo(MqttPackets.packet(0x62, id));
        sub.send(MqttPackets.packet(0x70, id));
    }

    private static List<String> expected(int count) {
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add("m" + i);
        }
        return list;
    }
}
