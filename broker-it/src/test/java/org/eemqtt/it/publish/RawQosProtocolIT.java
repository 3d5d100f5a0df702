package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The steps of the QoS 0/1/2 delivery protocols on both sides of the broker, byte by byte (MQTT 3.1.1 4.3, MQTT
 * 5.0 4.3, 4.4 and 4.9): identifiers reused after the flow ended are new messages, the broker's own PUBLISHes,
 * error acknowledgements, and packets that flow while the send quota is zero.
 */
@ExtendWith(BrokerExtension.class)
class RawQosProtocolIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SESSION_EXPIRY_INTERVAL = 0x11;
    private static final int MESSAGE_EXPIRY_INTERVAL = 0x02;

    @Test
    void mqtt311Qos1IdentifierReusedAfterPubAckIsANewPublication(RunningBroker broker) {
        String topic = Ids.topicRoot("q1-reuse");
        try (RawConnection sub = subscriber311(broker, topic, 1);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("q1-reuse-p"), 30)) {
            pub.send(MqttPackets.publish(topic, 1, 77, bytes("first"), false));
            pub.expectBytes(Hex.bytes("40 02 00 4D"), WAIT);
            // same identifier, DUP set: acknowledged, so this is a new message all the same (MQTT-4.3.2-2)
            pub.send(Publish311.withDup(MqttPackets.publish(topic, 1, 77, bytes("second"), false)));
            pub.expectBytes(Hex.bytes("40 02 00 4D"), WAIT);
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("first");
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("second");
        }
    }

    @Test
    void mqtt5Qos1IdentifierReusedAfterPubAckIsANewPublication(RunningBroker broker) {
        String topic = Ids.topicRoot("q1-reuse5");
        try (RawConnection sub = subscriber311(broker, topic, 1);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("q1-reuse5p"), 30)) {
            pub.send(MqttPackets.publish(topic, 1, 300, bytes("first"), true));
            assertAck(pub.readPacket(WAIT), Packet.PUBACK, 300);
            pub.send(Publish311.withDup(MqttPackets.publish(topic, 1, 300, bytes("second"), true)));
            assertAck(pub.readPacket(WAIT), Packet.PUBACK, 300);
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("first");
            Publish311 second = Publish311.read(sub, WAIT);
            assertThat(second.payload()).isEqualTo("second");
            // MQTT-3.3.1-3: the DUP of the incoming PUBLISH is not passed on
            assertThat(second.dup()).as("DUP of %s", second).isFalse();
        }
    }

    @Test
    void mqtt311Qos2IdentifierReusedAfterPubCompIsANewPublication(RunningBroker broker) {
        String topic = Ids.topicRoot("q2-reuse");
        try (RawConnection sub = subscriber311(broker, topic, 0);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("q2-reuse-p"), 30)) {
            for (String payload : new String[] {"first", "second"}) {
                pub.send(MqttPackets.publish(topic, 2, 0x0101, bytes(payload), false));
                pub.expectBytes(Hex.bytes("50 02 01 01"), WAIT); // PUBREC with the PUBLISH's identifier
                pub.send(MqttPackets.pubrel(0x0101));
                pub.expectBytes(Hex.bytes("70 02 01 01"), WAIT); // PUBCOMP with the PUBREL's identifier
                assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo(payload);
            }
        }
    }

    @Test
    void mqtt5Qos2IdentifierReusedAfterPubCompIsANewPublication(RunningBroker broker) {
        String topic = Ids.topicRoot("q2-reuse5");
        try (RawConnection sub = subscriber311(broker, topic, 0);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("q2-reuse5p"), 30)) {
            for (String payload : new String[] {"first", "second"}) {
                pub.send(MqttPackets.publish(topic, 2, 0xFFFF, bytes(payload), true));
                assertAck(pub.readPacket(WAIT), Packet.PUBREC, 0xFFFF);
                pub.send(MqttPackets.pubrel(0xFFFF));
                assertAck(pub.readPacket(WAIT), Packet.PUBCOMP, 0xFFFF);
                assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo(payload);
            }
        }
    }

    @Test
    void mqtt5Qos2IdentifierRefusedWithAnErrorPubRecIsFreeForANewPublication(RunningBroker broker) {
        String topic = Ids.topicRoot("q2-refused");
        try (RawConnection sub = subscriber311(broker, topic, 0);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("q2-refused5"), 30)) {
            // Payload Format Indicator 1 (UTF-8) with a payload that is not UTF-8: PUBREC 0x99
            pub.send(Raw5.publish(topic, 2, 21, new byte[] {(byte) 0xFF},
                    Raw5.byteProperty(Raw5.PAYLOAD_FORMAT_INDICATOR, 1)));
            Packet refused = pub.readPacket(WAIT);
            assertThat(refused.type()).isEqualTo(Packet.PUBREC);
            assertThat(refused.body()[2] & 0xFF).as("reason code of %s", refused).isEqualTo(0x99);
            // MQTT-4.3.3-9: the same identifier now starts a new publication, which is taken and delivered
            pub.send(MqttPackets.publish(topic, 2, 21, bytes("valid"), true));
            assertAck(pub.readPacket(WAIT), Packet.PUBREC, 21);
            pub.send(MqttPackets.pubrel(21));
            assertAck(pub.readPacket(WAIT), Packet.PUBCOMP, 21);
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("valid");
        }
    }

    @Test
    void mqtt5Qos2PublishRepeatedBeforePubRelIsAcknowledgedButDeliveredOnce(RunningBroker broker) {
        String topic = Ids.topicRoot("q2-repeat5");
        try (RawConnection sub = subscriber311(broker, topic, 0);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("q2-repeat5"), 30)) {
            byte[] publish = MqttPackets.publish(topic, 2, 33, bytes("once"), true);
            pub.send(publish);
            assertAck(pub.readPacket(WAIT), Packet.PUBREC, 33);
            pub.send(Publish311.withDup(publish)); // MQTT-4.3.3-10: PUBREC again, no second delivery
            assertAck(pub.readPacket(WAIT), Packet.PUBREC, 33);
            pub.send(MqttPackets.pubrel(33));
            assertAck(pub.readPacket(WAIT), Packet.PUBCOMP, 33);
            assertThat(Publish311.read(sub, WAIT).payload()).isEqualTo("once");
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT); // no second copy before it
        }
    }

    @Test
    void mqtt5MessagesOfOnePublisherArriveInTheirOrder(RunningBroker broker) {
        String topic = Ids.topicRoot("order5");
        try (RawConnection sub = RawConnection.connected5(broker, Ids.clientId("order5-s"), 30);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("order5-p"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 1);
            for (int i = 1; i <= 20; i++) { // pipelined, without waiting for the PUBACKs
                pub.send(MqttPackets.publish(topic, 1, i, bytes("m" + i), true));
            }
            for (int i = 1; i <= 20; i++) {
                Raw5.Publish got = Raw5.parsePublish(sub.readPacket(WAIT));
                assertThat(got.payloadText()).as("message %d", i).isEqualTo("m" + i);
                sub.send(MqttPackets.puback(got.packetId()));
            }
        }
    }

    @Test
    void mqtt5InboundQos2FlowIsCompletedAfterTheMessageExpired(RunningBroker broker) throws InterruptedException {
        String topic = Ids.topicRoot("q2-expired");
        try (RawConnection pub = RawConnection.connected5(broker, Ids.clientId("q2-exp-p"), 30)) {
            // Message Expiry Interval 1 s
            pub.send(Raw5.publish(topic, 2, 12, bytes("short-lived"),
                    Hex.concat(new byte[] {MESSAGE_EXPIRY_INTERVAL}, Hex.bytes("00 00 00 01"))));
            assertAck(pub.readPacket(WAIT), Packet.PUBREC, 12);
            Thread.sleep(1_500);
            pub.send(MqttPackets.pubrel(12));
            assertAck(pub.readPacket(WAIT), Packet.PUBCOMP, 12); // MQTT-4.3.3-13
        }
    }

    @Test
    void brokerPublishesQos0With0AndQos1And2WithDup0AndFreshIdentifiers(RunningBroker broker) {
        String topic = Ids.topicRoot("sender");
        try (RawConnection sub = RawConnection.connected5(broker, Ids.clientId("sender-s"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 2, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 1);
            RawPublisher.publish(broker, topic, 0, "q0");
            RawPublisher.publish(broker, topic, 1, "q1");
            RawPublisher.publish(broker, topic, 2, "q2");
            Packet q0 = sub.readPacket(WAIT);
            Packet q1 = sub.readPacket(WAIT);
            Packet q2 = sub.readPacket(WAIT);
            assertThat(q0.firstByte()).as("QoS 0, DUP 0: %s", q0).isEqualTo(0x30);
            // read without a packet identifier, the rest is exactly properties and payload (MQTT-2.2.1-2)
            assertThat(Raw5.parsePublish(q0).payloadText()).isEqualTo("q0");
            assertThat(q1.firstByte()).as("QoS 1, DUP 0: %s", q1).isEqualTo(0x32);
            assertThat(q2.firstByte()).as("QoS 2, DUP 0: %s", q2).isEqualTo(0x34);
            int id1 = Raw5.parsePublish(q1).packetId();
            int id2 = Raw5.parsePublish(q2).packetId();
            assertThat(id1).isNotZero();
            assertThat(id2).isNotZero().isNotEqualTo(id1); // both unacknowledged: distinct identifiers

            sub.send(MqttPackets.puback(id1));
            sub.send(MqttPackets.packet(0x50, MqttPackets.u16(id2))); // PUBREC, success
            // MQTT-4.3.3-4: PUBREL with the PUBLISH's identifier; not the PUBLISH again (MQTT-4.3.3-6)
            assertThat(sub.readPacket(WAIT).raw()).isEqualTo(MqttPackets.packet(0x62, MqttPackets.u16(id2)));
            sub.send(MqttPackets.packet(0x70, MqttPackets.u16(id2))); // PUBCOMP
            sub.send(MqttPackets.PINGREQ);
            assertThat(sub.readPacket(WAIT).type()).as("nothing re-sent").isEqualTo(Packet.PINGRESP);
        }
    }

    @Test
    void errorPubAckAndPubRecEndTheDeliveryForGood(RunningBroker broker) {
        String id = Ids.clientId("err-ack");
        String topic = Ids.topicRoot("err-ack");
        try (RawConnection sub = persistent5(broker, id, false)) {
            sub.send(MqttPackets.subscribe(1, topic, 2, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 1);
            RawPublisher.publish(broker, topic, 1, "refused q1");
            RawPublisher.publish(broker, topic, 2, "refused q2");
            Raw5.Publish q1 = Raw5.parsePublish(sub.readPacket(WAIT));
            Raw5.Publish q2 = Raw5.parsePublish(sub.readPacket(WAIT));
            // 40 03 id 80 / 50 03 id 80: Unspecified error
            sub.send(MqttPackets.packet(0x40, MqttPackets.u16(q1.packetId()), new byte[] {(byte) 0x80}));
            sub.send(MqttPackets.packet(0x50, MqttPackets.u16(q2.packetId()), new byte[] {(byte) 0x80}));
            sub.send(MqttPackets.PINGREQ);
            // no PUBREL after an error PUBREC (MQTT-4.3.3-4 only for codes below 0x80)
            assertThat(sub.readPacket(WAIT).type()).as("PINGRESP, no PUBREL").isEqualTo(Packet.PINGRESP);
        }
        try (RawConnection back = persistent5(broker, id, true)) {
            // MQTT-4.4.0-2: treated as acknowledged, so not re-sent on the resumed session
            back.send(MqttPackets.PINGREQ);
            assertThat(back.readPacket(WAIT).type()).as("nothing re-sent before PINGRESP").isEqualTo(Packet.PINGRESP);
            back.disconnectAndAwaitClose();
        }
    }

    @Test
    void mqtt5DeliveryStartedBeforeUnsubscribeIsStillCompleted(RunningBroker broker) {
        String id = Ids.clientId("unsub-inflight5");
        String topic = Ids.topicRoot("unsub-inflight5");
        Raw5.Publish started;
        try (RawConnection sub = persistent5(broker, id, false)) {
            sub.send(MqttPackets.subscribe(1, topic, 1, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 1);
            RawPublisher.publish(broker, topic, 1, "started");
            started = Raw5.parsePublish(sub.readPacket(WAIT));
            sub.send(MqttPackets.unsubscribe(2, topic, true));
            assertThat(sub.readPacket(WAIT).type()).isEqualTo(Packet.UNSUBACK);
            RawPublisher.publish(broker, topic, 1, "after"); // not for this session any more
        }
        try (RawConnection back = persistent5(broker, id, true)) {
            // MQTT-3.10.4-3: the QoS 1 delivery begun before UNSUBSCRIBE is completed (re-sent with DUP 1)
            Packet again = back.readPacket(WAIT);
            assertThat(again.firstByte()).as("QoS 1 with DUP: %s", again).isEqualTo(0x3A);
            Raw5.Publish resent = Raw5.parsePublish(again);
            assertThat(resent.packetId()).isEqualTo(started.packetId());
            assertThat(resent.payloadText()).isEqualTo("started");
            back.send(MqttPackets.puback(resent.packetId()));
            back.send(MqttPackets.PINGREQ);
            assertThat(back.readPacket(WAIT).type()).as("\"after\" never comes").isEqualTo(Packet.PINGRESP);
            back.disconnectAndAwaitClose();
        }
    }

    @Test
    void otherPacketsAreAnsweredWhileTheSendQuotaIsZero(RunningBroker broker) {
        String topic = Ids.topicRoot("quota0");
        // Receive Maximum 1: one unacknowledged QoS 1 PUBLISH uses up the broker's send quota
        try (RawConnection sub = Raw5.connected(broker, Ids.clientId("quota0"),
                Raw5.u16Property(Raw5.RECEIVE_MAXIMUM, 1))) {
            sub.send(MqttPackets.subscribe(1, topic, 1, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 1);
            RawPublisher.publish(broker, topic, 1, "one");
            RawPublisher.publish(broker, topic, 1, "two");
            Raw5.Publish first = Raw5.parsePublish(sub.readPacket(WAIT));
            assertThat(first.payloadText()).isEqualTo("one");
            // quota 0 now: PINGREQ and SUBSCRIBE are still answered at once, the second PUBLISH waits
            sub.send(MqttPackets.PINGREQ);
            assertThat(sub.readPacket(WAIT).type()).isEqualTo(Packet.PINGRESP);
            sub.send(MqttPackets.subscribe(2, topic + "/other", 0, true));
            assertAck(sub.readPacket(WAIT), Packet.SUBACK, 2);
            sub.send(MqttPackets.puback(first.packetId()));
            assertThat(Raw5.parsePublish(sub.readPacket(WAIT)).payloadText()).isEqualTo("two");
        }
    }

    private static void assertAck(Packet ack, int type, int packetId) {
        assertThat(ack.type()).as("packet type of %s", ack).isEqualTo(type);
        assertThat(ack.packetId()).as("packet id of %s", ack).isEqualTo(packetId);
        if (type != Packet.SUBACK && ack.body().length > 2) {
            assertThat(ack.body()[2] & 0xFF).as("reason code of %s", ack).isLessThan(0x80);
        }
        if (type != Packet.SUBACK && ack.body().length > 3) {
            // no Reason String or User Property, so never beyond the client's Maximum Packet Size
            assertThat(ack.body()[3]).as("property length of %s", ack).isZero();
        }
    }

    private static RawConnection subscriber311(RunningBroker broker, String topic, int qos) {
        RawConnection sub = RawConnection.connected311(broker, Ids.clientId("qos-sub"), 30);
        sub.send(MqttPackets.subscribe(1, topic, qos, false));
        sub.expectBytes(Hex.bytes("90 03 00 01 0" + qos), WAIT);
        return sub;
    }

    /** 5.0 CONNECT with Session Expiry Interval 300 s; clean start only when not resuming. */
    private static RawConnection persistent5(RunningBroker broker, String clientId, boolean resume) {
        RawConnection c = RawConnection.open(broker);
        byte[] expiry = Hex.concat(new byte[] {SESSION_EXPIRY_INTERVAL}, Hex.bytes("00 00 01 2C"));
        c.send(MqttPackets.packet(0x10, MqttPackets.utf8("MQTT"), new byte[] {5, (byte) (resume ? 0xC0 : 0xC2)},
                MqttPackets.u16(30), Raw5.properties(expiry), MqttPackets.utf8(clientId),
                MqttPackets.utf8(MqttPackets.GUEST), MqttPackets.utf8(MqttPackets.GUEST)));
        Packet connAck = c.readPacket(WAIT);
        assertThat(connAck.connackCode()).as("%s", connAck).isZero();
        assertThat(connAck.sessionPresent()).as("session present in %s", connAck).isEqualTo(resume);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
