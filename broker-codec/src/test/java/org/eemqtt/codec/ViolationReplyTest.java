package org.eemqtt.codec;

import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;

/** What reaches the network when the transport calls {@link MqttPipeline#closeFor} for a violation. */
class ViolationReplyTest {

    private static final byte[] SUBSCRIBE_BAD_FLAGS = bytes(
            0x80, 0x08,                                 // SUBSCRIBE with flags 0000 (must be 0010)
            0x00, 0x01, 0x00, 0x00, 0x03, 'a', '/', 'b');

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    /** A 5.0 connection whose CONNECT the broker accepted. */
    private static Wire acceptedV5() {
        Wire w = Wire.connectedV5();
        assertThat(w.write(ConnAckPacket.refuse(ConnectReasonCode.SUCCESS)))
                .containsExactly(bytes(0x20, 0x03, 0x00, 0x00, 0x00));
        return w;
    }

    private static byte[] closeFor(Wire w, MqttViolation v) {
        MqttPipeline.closeFor(w.channel, v);
        w.channel.runPendingTasks();
        assertThat(w.channel.isOpen()).isFalse();
        return w.written();
    }

    @Test
    void mqtt5MalformedPacketAfterConnAckGetsDisconnect0x81() {
        Wire w = acceptedV5();
        MqttViolation v = violation(w.feed(SUBSCRIBE_BAD_FLAGS));
        assertThat(closeFor(w, v)).containsExactly(bytes(
                0xE0, 0x02,                             // DISCONNECT, remaining length 2
                0x81,                                   // malformed packet
                0x00));                                 // properties length 0
    }

    @Test
    void mqtt5TooLargePacketAfterConnAckGetsDisconnect0x95() {
        Wire w = new Wire(32);
        w.single(Wire.CONNECT_V5, ConnectPacket.class);
        w.write(ConnAckPacket.refuse(ConnectReasonCode.SUCCESS));
        w.written();
        MqttViolation v = violation(w.feed(bytes(0x30, 0x7F))); // PUBLISH, remaining length 127
        assertThat(closeFor(w, v)).containsExactly(bytes(0xE0, 0x02, 0x95, 0x00));
    }

    @Test
    void mqtt5ViolationBeforeConnAckJustCloses() {
        Wire w = Wire.connectedV5(); // the broker has not answered yet: no DISCONNECT allowed (MQTT-3.14.0-1)
        MqttViolation v = violation(w.feed(SUBSCRIBE_BAD_FLAGS));
        assertThat(closeFor(w, v)).isEmpty();
    }

    @Test
    void mqtt311ViolationJustCloses() {
        Wire w = Wire.connectedV311();
        w.write(ConnAckPacket.refuse(ConnectReasonCode.SUCCESS));
        w.written();
        MqttViolation v = violation(w.feed(SUBSCRIBE_BAD_FLAGS));
        assertThat(closeFor(w, v)).isEmpty();
    }

    @Test
    void mqtt5MalformedConnectGetsConnAck0x81() {
        Wire w = new Wire();
        MqttViolation v = violation(w.feed(bytes(
                0x10, 14,                               // CONNECT, remaining length 14
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x03,                                   // flags: clean start + reserved bit 0 (must be 0)
                0x00, 0x3C, 0x00,                       // keep alive 60, properties length 0
                0x00, 0x01, 'c')));                     // client id "c"
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.detail()).contains("reserved flag").contains("MQTT-3.1.2-3"); // found by PacketValidator
        assertThat(closeFor(w, v)).containsExactly(bytes(0x20, 0x03, 0x00, 0x81, 0x00)); // CONNACK 0x81
    }

    @Test
    void mqtt5TooLargeConnectGetsConnAck0x95() {
        Wire w = new Wire(15);
        MqttViolation v = violation(w.feed(Wire.CONNECT_V5)); // 16 bytes
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PACKET_TOO_LARGE);
        assertThat(closeFor(w, v)).containsExactly(bytes(0x20, 0x03, 0x00, 0x95, 0x00));
    }

    @Test
    void mqtt5ConnectWithReceiveMaximumZeroIsAProtocolError() {
        Wire w = new Wire();
        MqttViolation v = violation(w.feed(bytes(
                0x10, 17,                               // CONNECT, remaining length 17
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x02, 0x00, 0x3C,                       // clean start, keep alive 60
                3,                                      // properties length 3
                0x21, 0x00, 0x00,                       //   receive maximum 0: not allowed
                0x00, 0x01, 'c')));                     // client id "c"
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(closeFor(w, v)).containsExactly(bytes(0x20, 0x03, 0x00, 0x82, 0x00)); // CONNACK 0x82
    }

    @Test
    void serverOnlyPacketFromClientIsAProtocolError() {
        Wire w = acceptedV5();
        MqttViolation v = violation(w.feed(bytes(
                0x90, 0x04,                             // SUBACK from a client
                0x00, 0x01, 0x00, 0x00)));              // packet id 1, properties length 0, QoS 0
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(closeFor(w, v)).containsExactly(bytes(0xE0, 0x02, 0x82, 0x00)); // DISCONNECT 0x82
    }

    @Test
    void nettyDecodeFailureIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x30, 5,                                // PUBLISH QoS 0, remaining length 5
                0x00, 0x03, 'a', '/', '#')));           // topic "a/#": wildcards not allowed in PUBLISH
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).startsWith("PUBLISH could not be decoded");
    }

    @Test
    void mqtt5SubscribeWithQos3IsAProtocolError() {
        // 5.0 3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3" (3.1.1: malformed)
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x82, 7,                                // SUBSCRIBE, remaining length 7
                0x00, 0x01, 0x00,                       // packet id 1, properties length 0
                0x00, 0x01, 't',                        // filter "t"
                0x03)));                                //   options: QoS 3
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
    }

    @Test
    void mqtt311SubscribeWithReservedOptionBitsIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x82, 6,                                // SUBSCRIBE, remaining length 6
                0x00, 0x01,                             // packet id 1
                0x00, 0x01, 't',                        // filter "t"
                0x05)));                                //   QoS 1 plus bit 2 (reserved in 3.1.1)
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("reserved option bits");
    }

    @Test
    void subscribeWithoutFiltersIsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x82, 2,                                // SUBSCRIBE, remaining length 2
                0x00, 0x01)));                          // packet id 1, no filters
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
    }

    @Test
    void mqtt311PubAckWithExtraBytesIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x40, 3,                                // PUBACK, remaining length 3 (3.1.1: exactly 2)
                0x00, 0x01, 0x00)));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
    }

    @Test
    void describeIsOneLogLine() {
        MqttViolation v = violation(acceptedV5().feed(SUBSCRIBE_BAD_FLAGS));
        assertThat(v.describe())
                .isEqualTo("MALFORMED_PACKET (MQTT 5): SUBSCRIBE fixed-header flags must be 0010, got 0000");
    }

    @Test
    void topicWithNullCharacterIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x30, 6,                                // PUBLISH QoS 0, remaining length 6
                0x00, 0x03, 'a', 0x00, 'b',             // topic "a\0b"
                'x')));                                 // payload "x"
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("U+0000");
    }

    @Test
    void publishFromClientWithSubscriptionIdentifierIsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 6,                                // PUBLISH QoS 0, remaining length 6
                0x00, 0x01, 't',                        // topic "t"
                2,                                      // properties length 2
                0x0B, 0x01)));                          //   subscription identifier 1: server-to-client only
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
    }
}
