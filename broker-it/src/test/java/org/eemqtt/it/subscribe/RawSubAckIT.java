package org.eemqtt.it.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Publish311;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RawPublisher;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SUBSCRIBE and UNSUBSCRIBE with several filters, byte by byte: one acknowledgement with one code per filter in the
 * order of the request, replaced subscriptions, exact-match unsubscribe, and the QoS of what is delivered (MQTT
 * 3.1.1 3.8-3.11, MQTT 5.0 3.8-3.11).
 */
@ExtendWith(BrokerExtension.class)
class RawSubAckIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A filter with '#' that is not last: invalid (MQTT-4.7.1-1), so its SUBSCRIBE fails for that filter only. */
    private static final String INVALID_FILTER = "it/a/#/b";

    /** SUBSCRIBE 82 with several (filter, options) pairs; 5.0 with property length 0. */
    private static byte[] subscribe(int packetId, boolean v5, Object... filtersAndQos) {
        byte[][] parts = new byte[filtersAndQos.length + 2][];
        parts[0] = MqttPackets.u16(packetId);
        parts[1] = v5 ? new byte[] {0x00} : new byte[0];
        for (int i = 0; i < filtersAndQos.length; i += 2) {
            parts[i + 2] = MqttPackets.utf8((String) filtersAndQos[i]);
            parts[i + 3] = new byte[] {(byte) (int) (Integer) filtersAndQos[i + 1]};
        }
        return MqttPackets.packet(0x82, parts);
    }

    /** UNSUBSCRIBE A2 with several filters; 5.0 with property length 0. */
    private static byte[] unsubscribe(int packetId, boolean v5, String... filters) {
        byte[][] parts = new byte[filters.length + 2][];
        parts[0] = MqttPackets.u16(packetId);
        parts[1] = v5 ? new byte[] {0x00} : new byte[0];
        for (int i = 0; i < filters.length; i++) {
            parts[i + 2] = MqttPackets.utf8(filters[i]);
        }
        return MqttPackets.packet(0xA2, parts);
    }

    /** The reason codes of a 5.0 SUBACK / UNSUBACK: after packet id (2) and an empty property block (1). */
    private static byte[] reasonCodes5(Packet ack) {
        byte[] body = ack.body();
        assertThat(body[2]).as("property length of %s (none expected)", ack).isEqualTo((byte) 0);
        return Arrays.copyOfRange(body, 3, body.length);
    }

    @Test
    void mqtt311SubAckHasOneReturnCodePerFilterInOrder(RunningBroker broker) {
        String root = Ids.topicRoot("suback-order");
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("suback-o"), 30)) {
            c.send(subscribe(0x1234, false, root + "/q2", 2, INVALID_FILTER, 1, root + "/q0", 0, root + "/q1", 1));
            // 90 06 | 12 34 packet id | 02 granted 2 | 80 failure | 00 granted 0 | 01 granted 1
            c.expectBytes(Hex.bytes("90 06 12 34 02 80 00 01"), WAIT);
            // The failed filter did not stop the others: a message on each granted one arrives (MQTT-3.8.4-4)
            RawPublisher.publish(broker, root + "/q1", 1, "one");
            Publish311 got = Publish311.read(c, WAIT);
            assertThat(got.topic()).isEqualTo(root + "/q1");
            assertThat(got.qos()).isEqualTo(1);
        }
    }

    @Test
    void mqtt5SubAckHasOneReasonCodePerFilterInOrder(RunningBroker broker) {
        String root = Ids.topicRoot("suback-order5");
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("suback-o5"), 30)) {
            c.send(subscribe(0x0102, true, root + "/q1", 1, INVALID_FILTER, 2, root + "/q2", 2, root + "/q0", 0));
            Packet subAck = c.readPacket(WAIT);
            assertThat(subAck.type()).as("%s", subAck).isEqualTo(Packet.SUBACK);
            assertThat(subAck.packetId()).isEqualTo(0x0102);
            // 01 granted QoS 1 | 8F topic filter invalid | 02 granted QoS 2 | 00 granted QoS 0
            assertThat(reasonCodes5(subAck)).as("reason codes of %s", subAck).isEqualTo(Hex.bytes("01 8F 02 00"));
        }
    }

    @Test
    void mqtt311UnsubAckComesEvenWhenNothingWasSubscribed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("unsub-none"), 30)) {
            c.send(unsubscribe(0x4321, false, Ids.topicRoot("never") + "/a", Ids.topicRoot("never") + "/#"));
            // B0 02 | 43 21: one UNSUBACK for the whole packet, with its packet id
            c.expectBytes(Hex.bytes("B0 02 43 21"), WAIT);
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT); // and nothing else before this
        }
    }

    @Test
    void mqtt5UnsubAckHasOneReasonCodePerFilterInOrder(RunningBroker broker) {
        String root = Ids.topicRoot("unsuback5");
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("unsub-o5"), 30)) {
            c.send(subscribe(1, true, root + "/a", 1, root + "/+", 1));
            assertThat(reasonCodes5(c.readPacket(WAIT))).isEqualTo(Hex.bytes("01 01"));
            c.send(unsubscribe(0x0A0B, true, root + "/x", root + "/+", INVALID_FILTER, root + "/a", root + "/a"));
            Packet unsubAck = c.readPacket(WAIT);
            assertThat(unsubAck.type()).as("%s", unsubAck).isEqualTo(Packet.UNSUBACK);
            assertThat(unsubAck.packetId()).isEqualTo(0x0A0B);
            // 11 no subscription existed | 00 success | 8F invalid | 00 success | 11 (removed by the one before)
            assertThat(reasonCodes5(unsubAck)).as("reason codes of %s", unsubAck)
                    .isEqualTo(Hex.bytes("11 00 8F 00 11"));
        }
    }

    @Test
    void unsubscribeRemovesOnlyTheFilterThatMatchesCharacterByCharacter(RunningBroker broker) {
        String root = Ids.topicRoot("unsub-exact");
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("unsub-ex"), 30)) {
            c.send(subscribe(1, false, root + "/+", 1));
            c.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            // "a/b" matches the topic the "+" filter covers, but is not that filter: nothing is removed
            c.send(unsubscribe(2, false, root + "/b"));
            c.expectBytes(Hex.bytes("B0 02 00 02"), WAIT);
            RawPublisher.publish(broker, root + "/b", 1, "still subscribed");
            Publish311 got = Publish311.read(c, WAIT);
            assertThat(got.payload()).isEqualTo("still subscribed");
            c.send(MqttPackets.puback(got.packetId()));

            c.send(unsubscribe(3, false, root + "/+"));
            c.expectBytes(Hex.bytes("B0 02 00 03"), WAIT);
            // MQTT-3.10.4-2: no new messages for the removed filter
            RawPublisher.publish(broker, root + "/b", 1, "after unsubscribe");
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
            c.assertStaysOpenSilently(Duration.ofMillis(500));
        }
    }

    @Test
    void mqtt311IdenticalFilterReplacesTheSubscription(RunningBroker broker) {
        String topic = Ids.topicRoot("replace");
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("replace"), 30)) {
            c.send(subscribe(1, false, topic, 2));
            c.expectBytes(Hex.bytes("90 03 00 01 02"), WAIT);
            c.send(subscribe(2, false, topic, 0));
            c.expectBytes(Hex.bytes("90 03 00 02 00"), WAIT);
            RawPublisher.publish(broker, topic, 2, "once at QoS 0");
            // one copy (not one per SUBSCRIBE), at the QoS of the replacing subscription
            Publish311 got = Publish311.read(c, WAIT);
            assertThat(got.qos()).as("QoS of %s", got).isZero();
            assertThat(got.payload()).isEqualTo("once at QoS 0");
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void mqtt5IdenticalFilterReplacesTheSubscription(RunningBroker broker) {
        String topic = Ids.topicRoot("replace5");
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("replace5"), 30)) {
            c.send(subscribe(1, true, topic, 0));
            assertThat(reasonCodes5(c.readPacket(WAIT))).isEqualTo(Hex.bytes("00"));
            c.send(subscribe(2, true, topic, 1));
            assertThat(reasonCodes5(c.readPacket(WAIT))).isEqualTo(Hex.bytes("01"));
            RawPublisher.publish(broker, topic, 1, "once at QoS 1");
            Raw5.Publish got = Raw5.parsePublish(c.readPacket(WAIT));
            assertThat(got.qos()).as("QoS of the replacing subscription").isEqualTo(1);
            assertThat(got.payloadText()).isEqualTo("once at QoS 1");
            c.send(MqttPackets.puback(got.packetId()));
            c.send(MqttPackets.PINGREQ);
            assertThat(c.readPacket(WAIT).type()).as("no second copy before PINGRESP").isEqualTo(Packet.PINGRESP);
        }
    }

    @Test
    void deliveredQosIsTheLowerOfPublishedAndGranted(RunningBroker broker) {
        String root = Ids.topicRoot("minqos");
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("minqos"), 30)) {
            c.send(subscribe(1, false, root + "/granted1", 1, root + "/granted2", 2));
            c.expectBytes(Hex.bytes("90 04 00 01 01 02"), WAIT);
            RawPublisher.publish(broker, root + "/granted1", 2, "published at 2");
            Publish311 down = Publish311.read(c, WAIT);
            assertThat(down.qos()).as("QoS 2 message on a QoS 1 subscription: %s", down).isEqualTo(1);
            c.send(MqttPackets.puback(down.packetId()));
            RawPublisher.publish(broker, root + "/granted2", 1, "published at 1");
            Publish311 kept = Publish311.read(c, WAIT);
            assertThat(kept.qos()).as("QoS 1 message on a QoS 2 subscription: %s", kept).isEqualTo(1);
            c.send(MqttPackets.puback(kept.packetId()));
        }
    }

    @Test
    void deliveredTopicNameMatchesTheFilter(RunningBroker broker) {
        String root = Ids.topicRoot("match");
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("match5"), 30)) {
            c.send(subscribe(1, true, root + "/+/end", 0));
            assertThat(reasonCodes5(c.readPacket(WAIT))).isEqualTo(Hex.bytes("00"));
            RawPublisher.publish(broker, root + "/other/end/not", 0, "no match");
            RawPublisher.publish(broker, root + "/middle/end", 0, "match");
            Raw5.Publish got = Raw5.parsePublish(c.readPacket(WAIT));
            // the topic name itself, not the filter, and only a matching one
            assertThat(got.topic()).isEqualTo(root + "/middle/end");
            assertThat(got.payloadText()).isEqualTo("match");
        }
    }
}
