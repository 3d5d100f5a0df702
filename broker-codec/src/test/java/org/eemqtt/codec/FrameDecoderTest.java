package org.eemqtt.codec;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;
import static org.eemqtt.codec.Wire.concat;
import static org.eemqtt.codec.Wire.hex;

class FrameDecoderTest {

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    @ParameterizedTest(name = "first byte 0x{0}: {1}")
    @CsvSource({
        "60, PUBREL with flags 0000",
        "63, PUBREL with flags 0011",
        "80, SUBSCRIBE with flags 0000",
        "8A, SUBSCRIBE with flags 1010",
        "A0, UNSUBSCRIBE with flags 0000",
        "11, CONNECT with flags 0001",
        "28, CONNACK with flags 1000",
        "41, PUBACK with flags 0001",
        "52, PUBREC with flags 0010",
        "74, PUBCOMP with flags 0100",
        "92, SUBACK with flags 0010",
        "B1, UNSUBACK with flags 0001",
        "C2, PINGREQ with flags 0010",
        "D8, PINGRESP with flags 1000",
        "E1, DISCONNECT with flags 0001",
        "00, reserved packet type 0",
        "36, PUBLISH with QoS 3",
        "F0, AUTH in MQTT 3.1.1",
    })
    void reservedFlagViolationsAreMalformed(String firstByte, String what) {
        Wire w = Wire.connectedV311();

        MqttViolation v = violation(w.feed(bytes(Integer.parseInt(firstByte, 16), 0x00))); // type/flags, length 0

        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(v.duringConnect()).isFalse();
        assertThat(v.closeReason()).isEqualTo(CloseReason.MALFORMED_PACKET);
        assertThat(w.written()).isEmpty(); // the frame decoder leaves closing to the transport
    }

    @Test
    void authWithFlagsIsMalformedInMqtt5() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0xF4, 0x00)));                          // AUTH with flags 0100, remaining length 0
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("AUTH").contains("0100");
    }

    @Test
    void nothingIsDecodedAfterAViolation() {
        Wire w = Wire.connectedV311();
        List<Object> out = w.feed(concat(
                bytes(0x80, 0x00),                      // SUBSCRIBE with flags 0000: malformed
                bytes(0xC0, 0x00)));                    // PINGREQ: must not come out
        violation(out);
        assertThat(w.feed(bytes(0xC0, 0x00))).isEmpty(); // nor later
    }

    @Test
    void remainingLengthOfFiveBytesIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x30,                                   // PUBLISH QoS 0
                0xFF, 0xFF, 0xFF, 0xFF, 0x01)));        // remaining length with a 5th byte
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("longer than 4 bytes");
    }

    @Test
    void nonMinimalRemainingLengthIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0xC0,                                   // PINGREQ
                0x80, 0x00)));                          // remaining length 0 in two bytes
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
    }

    @Test
    void tooLargePacketIsReportedFromItsHeaderAlone() {
        Wire w = new Wire(64);
        w.single(Wire.CONNECT_V311, ConnectPacket.class);

        MqttViolation v = violation(w.feed(bytes(
                0x30, 0x40,                             // PUBLISH QoS 0, remaining length 64: 66 bytes > 64
                0x00, 0x01, 't')));                     // only the start of it has arrived

        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PACKET_TOO_LARGE);
        assertThat(v.closeReason()).isEqualTo(CloseReason.PACKET_TOO_LARGE);
        assertThat(v.detail()).contains("66 bytes");
    }

    @Test
    void packetOfExactlyTheMaximumSizeIsAcceptedOneMoreIsNot() {
        // CONNECT_V311 is 15 bytes: 2 fixed header + 13 remaining.
        assertThat(new Wire(15).feed(Wire.CONNECT_V311)).singleElement().isInstanceOf(ConnectPacket.class);

        MqttViolation v = violation(new Wire(14).feed(Wire.CONNECT_V311));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PACKET_TOO_LARGE);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    void firstPacketMustBeConnect() {
        Wire w = new Wire();

        MqttViolation v = violation(w.feed(bytes(0xC0, 0x00))); // PINGREQ before CONNECT

        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.NOT_CONNECT_FIRST);
        assertThat(v.version()).isNull();
        assertThat(v.answered()).isFalse();
        assertThat(w.written()).isEmpty();
        MqttPipeline.closeFor(w.channel, v);
        assertThat(w.written()).isEmpty(); // nothing to say to a non-MQTT peer
        assertThat(w.channel.isOpen()).isFalse();
    }

    @Test
    void httpRequestIsNotMqtt() {
        Wire w = new Wire();

        MqttViolation v = violation(w.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.NOT_CONNECT_FIRST); // 'G' = 0x47: PUBACK type
        assertThat(v.describe()).startsWith("NOT_CONNECT_FIRST (before CONNECT)").contains("PUBACK");
        assertThat(w.written()).isEmpty();
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        "MQTT,   6, 20020001",   // unknown level: 3.x CONNACK 0x01
        "MQTT,   3, 20020001",   // 3.1's level with the 3.1.1 name
        "MQIsdp, 4, 20020001",   // 3.1.1's level with the 3.1 name
        "MQIsdp, 5, 2003008400", // level 5: 5.0 CONNACK 0x84
        "HELLO,  5, 2003008400",
        "HELLO,  4, 20020001",
    })
    void unsupportedProtocolIsAnsweredWithConnAckAndClosed(String name, int level, String expectedConnAck) {
        Wire w = new Wire();
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        List<Object> out = w.feed(concat(
                bytes(0x10, 2 + n.length + 6,           // CONNECT, remaining length
                        0x00, n.length),                // protocol name length
                n,                                      // protocol name
                bytes(level,                            // protocol level
                        0x02, 0x00, 0x3C,               // flags clean, keep alive 60
                        0x00, 0x01, 'c')));             // client id "c"

        MqttViolation v = violation(out);
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.UNSUPPORTED_PROTOCOL);
        assertThat(v.answered()).isTrue();
        assertThat(hex(w.written())).isEqualTo(expectedConnAck);
        assertThat(w.channel.isOpen()).isFalse();
    }

    @ParameterizedTest(name = "split after byte {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8, 9, 12, 14})
    void packetSplitAcrossTwoReadsIsDecodedOnce(int split) {
        Wire w = new Wire();
        byte[] connect = Wire.CONNECT_V311;

        assertThat(w.feed(java.util.Arrays.copyOfRange(connect, 0, split))).isEmpty();
        List<Object> out = w.feed(java.util.Arrays.copyOfRange(connect, split, connect.length));

        assertThat(out).singleElement().isInstanceOfSatisfying(ConnectPacket.class,
                c -> assertThat(c.clientId()).isEqualTo("c"));
    }

    @Test
    void packetFedByteByByte() {
        Wire w = Wire.connectedV311();
        byte[] publish = bytes(
                0x30, 6,                                // PUBLISH QoS 0, remaining length 6
                0x00, 0x01, 't',                        // topic "t"
                'x', 'y', 'z');                         // payload "xyz"
        for (int i = 0; i < publish.length - 1; i++) {
            assertThat(w.feed(new byte[] {publish[i]})).isEmpty();
        }
        assertThat(w.single(new byte[] {publish[publish.length - 1]}, PublishPacket.class).payload())
                .containsExactly('x', 'y', 'z');
    }

    @Test
    void severalPacketsInOneReadAreAllDecoded() {
        Wire w = new Wire();

        List<Object> out = w.feed(concat(
                Wire.CONNECT_V311,                      // CONNECT
                bytes(0xC0, 0x00),                      // PINGREQ
                bytes(0x30, 4,                          // PUBLISH QoS 0, remaining length 4
                        0x00, 0x01, 't',                //   topic "t"
                        '!'),                           //   payload "!"
                bytes(0xC0)));                          // first byte of another PINGREQ

        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isInstanceOf(ConnectPacket.class);
        assertThat(out.get(1)).isSameAs(PingReqPacket.INSTANCE);
        assertThat(((PublishPacket) out.get(2)).payload()).containsExactly('!');
        assertThat(w.feed(bytes(0x00))).containsExactly(PingReqPacket.INSTANCE); // its remaining length
    }

    @Test
    void inputBuffersAreReleasedAfterDecodingAndAfterAViolation() {
        Wire w = Wire.connectedV311();
        io.netty.buffer.ByteBuf publish = io.netty.buffer.Unpooled.wrappedBuffer(bytes(
                0x32, 7,                                // PUBLISH QoS 1, remaining length 7
                0x00, 0x01, 't',                        // topic "t"
                0x00, 0x01,                             // packet id 1
                'p', 'q'));                             // payload "pq"
        w.channel.writeInbound(publish.retain());       // keep one reference to look at it afterwards
        assertThat(w.inbound()).singleElement().isInstanceOf(PublishPacket.class);
        assertThat(publish.refCnt()).isEqualTo(1);      // the pipeline released all of its references

        io.netty.buffer.ByteBuf bad = io.netty.buffer.Unpooled.wrappedBuffer(bytes(
                0x80, 0x02, 0x00, 0x01));               // SUBSCRIBE with flags 0000
        w.channel.writeInbound(bad.retain());
        assertThat(w.inbound()).singleElement().isInstanceOf(MqttViolation.class);
        assertThat(bad.refCnt()).isEqualTo(1);
        publish.release();
        bad.release();
    }
}
