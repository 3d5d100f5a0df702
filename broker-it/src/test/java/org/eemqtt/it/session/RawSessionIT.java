package org.eemqtt.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Publish311;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Persistent sessions (MQTT 3.1.1, CleanSession 0) byte by byte: what is re-sent on reconnect (4.4), and the client
 * identifier rules of CONNECT (3.1.3.1).
 */
@ExtendWith(BrokerExtension.class)
class RawSessionIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** CONNACK 20 02 | 01 session present | 00 accepted. */
    private static final byte[] CONNACK_SESSION_PRESENT = Hex.bytes("20 02 01 00");
    /** CONNACK 20 02 | 00 | 02 identifier rejected. */
    private static final byte[] CONNACK_IDENTIFIER_REJECTED = Hex.bytes("20 02 00 02");

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void unacknowledgedPublishIsResentWithDupAndTheSamePacketIdAfterReconnect(int qos, RunningBroker broker) {
        String id = Ids.clientId("raw-redeliver");
        String topic = Ids.topicRoot("raw-redeliver");
        Publish311 first;
        try (RawConnection sub = persistent(broker, id, MqttPackets.CONNACK_ACCEPTED)) {
            sub.send(MqttPackets.subscribe(1, topic, qos, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 0" + qos), WAIT);
            publish(broker, topic, qos, "unacked");
            first = Publish311.read(sub, WAIT);
            assertThat(first.dup()).as("first delivery of %s", first).isFalse();
            // no PUBACK / PUBREC: the connection drops with the message in flight
        }
        try (RawConnection back = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            Publish311 again = Publish311.read(back, WAIT);
            // MQTT-3.3.1-1 / MQTT-4.4.0-1: 3A (QoS 1) or 3C (QoS 2) = DUP set, same packet id, same message
            assertThat(again.firstByte()).as("first byte of %s", again).isEqualTo(0x30 | 0x08 | qos << 1);
            assertThat(again.packetId()).isEqualTo(first.packetId());
            assertThat(again.topic()).isEqualTo(topic);
            assertThat(again.payload()).isEqualTo("unacked");
            completeDelivery(back, qos, again.packetId());
            back.disconnectAndAwaitClose();
        }
        try (RawConnection third = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            third.send(MqttPackets.PINGREQ);
            third.expectBytes(MqttPackets.PINGRESP, WAIT); // acknowledged now: nothing is re-sent
        }
        endSession(broker, id);
    }

    @Test
    void inFlightMessageComesBeforeThoseQueuedWhileOfflineInPublishOrder(RunningBroker broker) {
        String id = Ids.clientId("raw-order");
        String topic = Ids.topicRoot("raw-order");
        try (RawConnection sub = persistent(broker, id, MqttPackets.CONNACK_ACCEPTED)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            publish(broker, topic, 1, "m1");
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("m1"); // in flight, not acknowledged
        }
        publish(broker, topic, 1, "m2"); // MQTT-3.1.2-5: kept for the offline session
        publish(broker, topic, 1, "m3");
        try (RawConnection back = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            Publish311 first = Publish311.read(back, WAIT);
            Publish311 second = Publish311.read(back, WAIT);
            Publish311 third = Publish311.read(back, WAIT);
            assertThat(first.dup()).as("m1 is re-sent (DUP), the others are sent for the first time").isTrue();
            assertThat(second.dup()).isFalse();
            assertThat(third.dup()).isFalse();
            // MQTT-4.6.0-6: in the order they were published
            assertThat(List.of(first.payload(), second.payload(), third.payload()))
                    .containsExactly("m1", "m2", "m3");
            for (Publish311 p : List.of(first, second, third)) {
                back.send(MqttPackets.puback(p.packetId()));
            }
            back.disconnectAndAwaitClose();
        }
        endSession(broker, id);
    }

    @Test
    void deliveryStartedBeforeUnsubscribeIsStillCompleted(RunningBroker broker) {
        String id = Ids.clientId("raw-unsub");
        String topic = Ids.topicRoot("raw-unsub");
        Publish311 started;
        try (RawConnection sub = persistent(broker, id, MqttPackets.CONNACK_ACCEPTED)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            publish(broker, topic, 1, "started");
            started = Publish311.read(sub, WAIT);
            sub.send(MqttPackets.unsubscribe(2, topic, false));
            sub.expectBytes(Hex.bytes("B0 02 00 02"), WAIT); // UNSUBACK
            publish(broker, topic, 1, "after"); // MQTT-3.10.4-2: not for this client any more
        }
        try (RawConnection back = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            // MQTT-3.10.4-3: the QoS 1 delivery begun before UNSUBSCRIBE is completed (re-sent, DUP 1)
            Publish311 again = Publish311.read(back, WAIT);
            assertThat(again.packetId()).isEqualTo(started.packetId());
            assertThat(again.payload()).isEqualTo("started");
            assertThat(again.dup()).isTrue();
            back.send(MqttPackets.puback(again.packetId()));
            back.send(MqttPackets.PINGREQ);
            back.expectBytes(MqttPackets.PINGRESP, WAIT); // and "after" never comes
            back.disconnectAndAwaitClose();
        }
        endSession(broker, id);
    }

    @Test
    void pubrecdDeliveryIsResentAsPubrelAfterReconnect(RunningBroker broker) {
        String id = Ids.clientId("raw-pubrel");
        String topic = Ids.topicRoot("raw-pubrel");
        byte[] packetId;
        try (RawConnection sub = persistent(broker, id, MqttPackets.CONNACK_ACCEPTED)) {
            sub.send(MqttPackets.subscribe(1, topic, 2, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 02"), WAIT);
            publish(broker, topic, 2, "exactly once");
            Publish311 delivered = Publish311.read(sub, WAIT);
            assertThat(delivered.firstByte()).isEqualTo(0x34);
            packetId = MqttPackets.u16(delivered.packetId());
            sub.send(MqttPackets.packet(0x50, packetId)); // PUBREC
            sub.expectBytes(MqttPackets.packet(0x62, packetId), WAIT); // PUBREL
            // no PUBCOMP: the connection drops with the PUBREL unacknowledged
        }
        try (RawConnection back = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            // MQTT-4.4.0-1: the PUBREL again (62 02 id), and not the PUBLISH (MQTT-4.3.3-1)
            back.expectBytes(MqttPackets.packet(0x62, packetId), WAIT);
            back.send(MqttPackets.packet(0x70, packetId)); // PUBCOMP
            back.send(MqttPackets.PINGREQ);
            back.expectBytes(MqttPackets.PINGRESP, WAIT);
            back.disconnectAndAwaitClose();
        }
        try (RawConnection third = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
            third.send(MqttPackets.PINGREQ);
            third.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
        endSession(broker, id);
    }

    @Test
    void emptyClientIdWithCleanSession0IsRejectedWithReturnCode2(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" 04 | C0 (user, password, CleanSession 0) | 00 1E | 00 00 empty client id | ...
            c.send(MqttPackets.connect("MQTT", 4, false, "", "guest", "guest", 30, false));
            // MQTT-3.1.3-8: 20 02 00 02 identifier rejected, then the close
            BadInput.assertAnswerThenClose(c, CONNACK_IDENTIFIER_REJECTED, "empty client id, CleanSession 0");
        }
    }

    @Test
    void emptyClientIdsWithCleanSession1AreAcceptedAsDifferentClients(RunningBroker broker) {
        try (RawConnection first = RawConnection.open(broker); RawConnection second = RawConnection.open(broker)) {
            first.send(MqttPackets.connect311("", 30)); // 00 00 empty client id, CleanSession 1 (MQTT-3.1.3-6)
            first.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            second.send(MqttPackets.connect311("", 30));
            second.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            // each got an identifier of its own: the second did not take the first over
            for (RawConnection c : new RawConnection[] {first, second}) {
                c.send(MqttPackets.PINGREQ);
                c.expectBytes(MqttPackets.PINGRESP, WAIT);
            }
        }
    }

    @Test
    void inboundQos2RetransmittedAfterReconnectIsNotDeliveredAgain(RunningBroker broker) {
        String id = Ids.clientId("raw-q2again");
        String topic = Ids.topicRoot("raw-q2again");
        byte[] publish = MqttPackets.publish(topic, 2, 5, "once".getBytes(), false); // 34 | topic | 00 05 | once
        try (RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-q2sub"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            try (RawConnection pub = persistent(broker, id, MqttPackets.CONNACK_ACCEPTED)) {
                pub.send(publish);
                pub.expectBytes(Hex.bytes("50 02 00 05"), WAIT); // PUBREC; the connection drops before PUBREL
            }
            try (RawConnection pub = persistent(broker, id, CONNACK_SESSION_PRESENT)) {
                pub.send(Publish311.withDup(publish)); // MQTT-4.4.0-1: the client re-sends it, DUP set
                pub.expectBytes(Hex.bytes("50 02 00 05"), WAIT); // MQTT-4.3.3-2: PUBREC again ...
                pub.send(MqttPackets.pubrel(5));
                pub.expectBytes(Hex.bytes("70 02 00 05"), WAIT);
                pub.disconnectAndAwaitClose();
            }
            Publish311 delivered = Publish311.read(sub, WAIT);
            assertThat(delivered.payload()).isEqualTo("once");
            sub.send(MqttPackets.puback(delivered.packetId()));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT); // ... but no second delivery
        }
        endSession(broker, id);
    }

    @Test
    void mqtt31ClientIdOver23BytesIsRejectedWithReturnCode2(RunningBroker broker) {
        String id = "abcdefghijklmnopqrstuvwx"; // 24 bytes: MQTT 3.1 allows 1 to 23
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect31(id, 30));
            BadInput.assertAnswerThenClose(c, CONNACK_IDENTIFIER_REJECTED, "MQTT 3.1 client id of 24 bytes");
        }
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect31(id.substring(0, 23), 30)); // 23 bytes: accepted
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            c.disconnectAndAwaitClose();
        }
    }

    /** 3.1.1 CONNECT with CleanSession 0; asserts the given CONNACK. */
    private static RawConnection persistent(RunningBroker broker, String id, byte[] expectedConnAck) {
        RawConnection c = RawConnection.open(broker);
        c.send(MqttPackets.connect("MQTT", 4, false, id, "guest", "guest", 30, false));
        c.expectBytes(expectedConnAck, WAIT);
        return c;
    }

    /** A QoS 1 or 2 PUBLISH from another raw client, with its whole acknowledgement flow. */
    private static void publish(RunningBroker broker, String topic, int qos, String text) {
        try (RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-spub"), 30)) {
            pub.send(MqttPackets.publish(topic, qos, 9, text.getBytes(), false));
            if (qos == 1) {
                pub.expectBytes(Hex.bytes("40 02 00 09"), WAIT);
            } else {
                pub.expectBytes(Hex.bytes("50 02 00 09"), WAIT);
                pub.send(MqttPackets.pubrel(9));
                pub.expectBytes(Hex.bytes("70 02 00 09"), WAIT);
            }
            pub.disconnectAndAwaitClose();
        }
    }

    /** PUBACK, or PUBREC / PUBREL / PUBCOMP, for a delivery to the raw client. */
    private static void completeDelivery(RawConnection c, int qos, int packetId) {
        byte[] id = MqttPackets.u16(packetId);
        if (qos == 1) {
            c.send(MqttPackets.puback(packetId));
        } else {
            c.send(MqttPackets.packet(0x50, id));
            c.expectBytes(MqttPackets.packet(0x62, id), WAIT);
            c.send(MqttPackets.packet(0x70, id));
        }
    }

    /** CleanSession 1 on the same client id discards the stored session. */
    private static void endSession(RunningBroker broker, String id) {
        try (RawConnection c = RawConnection.connected311(broker, id, 30)) {
            c.disconnectAndAwaitClose();
        }
    }
}
