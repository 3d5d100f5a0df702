package org.eemqtt.codec;

import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.QoS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;

/**
 * Packet structure checked on the raw bytes: packet identifiers, SUBSCRIBE/UNSUBSCRIBE payloads and options,
 * CONNECT flags, 5.0 reason codes, and packets whose fields end before or after the remaining length.
 */
class PacketStructureValidationTest {

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    private static void assertMalformed(Wire w, byte[] packet, String detailStart) {
        MqttViolation v = violation(w.feed(packet));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).startsWith(detailStart);
    }

    // ---- packet identifier 0 (3.1.1 MQTT-2.3.1-1, 5.0 MQTT-2.2.1-3) ----

    @ParameterizedTest(name = "PUBLISH first byte 0x{0}")
    @ValueSource(strings = {"32", "34", "3B"})
    void publishWithQosAbove0AndPacketId0IsMalformed(String firstByte) {
        assertMalformed(Wire.connectedV311(), bytes(
                Integer.parseInt(firstByte, 16), 6,     // PUBLISH QoS 1 / QoS 2 / QoS 1 DUP RETAIN
                0x00, 0x01, 't',                        // topic "t"
                0x00, 0x00,                             // packet id 0
                'x'),                                   // payload "x"
                "PUBLISH packet identifier 0");
    }

    @Test
    void subscribeAndUnsubscribeWithPacketId0AreMalformed() {
        assertMalformed(Wire.connectedV5(), bytes(
                0x82, 7,                                // SUBSCRIBE, remaining length 7
                0x00, 0x00, 0x00,                       // packet id 0, properties length 0
                0x00, 0x01, 't', 0x01),                 // filter "t", QoS 1
                "SUBSCRIBE packet identifier 0");
        assertMalformed(Wire.connectedV311(), bytes(
                0xA2, 5,                                // UNSUBSCRIBE, remaining length 5
                0x00, 0x00,                             // packet id 0
                0x00, 0x01, 't'),                       // filter "t"
                "UNSUBSCRIBE packet identifier 0");
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @CsvSource({"40, PUBACK", "50, PUBREC", "62, PUBREL", "70, PUBCOMP"})
    void acknowledgementWithPacketId0IsMalformed(String firstByte, String name) {
        assertMalformed(Wire.connectedV311(), bytes(
                Integer.parseInt(firstByte, 16), 2,     // acknowledgement, remaining length 2
                0x00, 0x00),                            // packet id 0
                name + " packet identifier 0");
    }

    // ---- SUBSCRIBE and UNSUBSCRIBE payloads ----

    @Test
    void mqtt5SubscribeWithoutFiltersIsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x82, 3,                                // SUBSCRIBE, remaining length 3
                0x00, 0x01, 0x00)));                    // packet id 1, properties length 0, no filters
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("SUBSCRIBE without topic filter (MQTT-3.8.3-2)"); // the 5.0 numbering
    }

    @Test
    void mqtt311SubscribeWithoutFiltersIsAProtocolViolation() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x82, 2,                                // SUBSCRIBE, remaining length 2
                0x00, 0x01)));                          // packet id 1, no filters
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR); // 3.x: closed either way
        assertThat(v.detail()).isEqualTo("SUBSCRIBE without topic filter (MQTT-3.8.3-3)");
    }

    @Test
    void unsubscribeWithoutFiltersIsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0xA2, 2,                                // UNSUBSCRIBE, remaining length 2
                0x00, 0x01)));                          // packet id 1, no filters
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("UNSUBSCRIBE without topic filter (MQTT-3.10.3-2)");
    }

    @ParameterizedTest(name = "3.1.1 options 0x{0}")
    @ValueSource(strings = {"04", "08", "10", "20", "40", "80", "FD"})
    void mqtt311ReservedOptionBitsAreMalformed(String options) {
        assertMalformed(Wire.connectedV311(), bytes(
                0x82, 6,                                // SUBSCRIBE, remaining length 6
                0x00, 0x01,                             // packet id 1
                0x00, 0x01, 't',                        // filter "t"
                Integer.parseInt(options, 16)),         //   options with a reserved bit 2-7 set
                "SUBSCRIBE reserved option bits set in 0x" + options);
    }

    @Test
    void mqtt311RequestedQos3IsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x82, 6,                                // SUBSCRIBE, remaining length 6
                0x00, 0x01,                             // packet id 1
                0x00, 0x01, 't',                        // filter "t"
                0x03)));                                //   requested QoS 3
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).isEqualTo("SUBSCRIBE requested QoS 3 for topic filter 1 (MQTT-3-8.3-4)");
    }

    @ParameterizedTest(name = "5.0 options 0x{0}")
    @ValueSource(strings = {"40", "80", "C2"})
    void mqtt5ReservedOptionBits6And7AreMalformed(String options) {
        assertMalformed(Wire.connectedV5(), bytes(
                0x82, 11,                               // SUBSCRIBE, remaining length 11
                0x00, 0x01, 0x00,                       // packet id 1, properties length 0
                0x00, 0x01, 'a', 0x01,                  // filter "a", QoS 1: fine
                0x00, 0x01, 'b',                        // filter "b"
                Integer.parseInt(options, 16)),         //   options with bit 6 and/or 7 set
                "SUBSCRIBE reserved option bits 6-7 set in 0x" + options + " of topic filter 2");
    }

    @Test
    void mqtt5RetainHandling3IsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x82, 7,                                // SUBSCRIBE, remaining length 7
                0x00, 0x01, 0x00,                       // packet id 1, properties length 0
                0x00, 0x01, 't',                        // filter "t"
                0x31)));                                //   retain handling 3, QoS 1
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).startsWith("SUBSCRIBE Retain Handling 3");
    }

    @Test
    void mqtt5AllOptionBits0To5Pass() {
        SubscribePacket s = Wire.connectedV5().single(bytes(
                0x82, 7,                                // SUBSCRIBE, remaining length 7
                0x00, 0x01, 0x00,                       // packet id 1, properties length 0
                0x00, 0x01, 't',                        // filter "t"
                0x2E),                                  //   retain handling 2, RAP, no local, QoS 2
                SubscribePacket.class);
        assertThat(s.subscriptions()).containsExactly(new SubscriptionRequest("t", QoS.EXACTLY_ONCE, true, true, 2));
    }

    @Test
    void emptyTopicFilterIsMalformed() {
        assertMalformed(Wire.connectedV311(), bytes(
                0x82, 5,                                // SUBSCRIBE, remaining length 5
                0x00, 0x01,                             // packet id 1
                0x00, 0x00,                             // filter "" (MQTT-4.7.3-1)
                0x00),                                  //   QoS 0
                "SUBSCRIBE topic filter 1 is empty");
    }

    // ---- fields that end before or after the packet ----

    @Test
    void subscribeCutAfterTheFilterIsMalformed() {
        assertMalformed(Wire.connectedV311(), bytes(
                0x82, 5,                                // SUBSCRIBE, remaining length 5
                0x00, 0x01,                             // packet id 1
                0x00, 0x01, 't'),                       // filter "t" and then no options byte
                "SUBSCRIBE subscription options needs 1 bytes but only 0 remain in the packet");
    }

    @Test
    void stringLengthBeyondThePacketIsMalformed() {
        assertMalformed(Wire.connectedV311(), bytes(
                0x30, 4,                                // PUBLISH QoS 0, remaining length 4
                0x00, 0x09, 'a', 'b'),                  // topic length 9, but only 2 bytes follow
                "PUBLISH topic name needs 9 bytes but only 2 remain in the packet");
    }

    @Test
    void trailingBytesAreMalformed() {
        assertMalformed(Wire.connectedV311(), bytes(
                0xC0, 1, 0x00),                         // PINGREQ with a body byte
                "PINGREQ has 1 bytes after its last field");
        assertMalformed(Wire.connectedV311(), bytes(
                0xE0, 2, 0x00, 0x00),                   // 3.1.1 DISCONNECT with two body bytes
                "DISCONNECT has 2 bytes after its last field");
        assertMalformed(Wire.connectedV311(), bytes(
                0x62, 3, 0x00, 0x01, 0x00),             // 3.1.1 PUBREL: packet id and one byte more
                "PUBREL has 1 bytes after its last field");
        assertMalformed(Wire.connectedV5(), bytes(
                0x40, 5,                                // PUBACK, remaining length 5
                0x00, 0x01, 0x00, 0x00,                 // packet id 1, success, properties length 0
                0xAA),                                  // garbage after the properties
                "PUBACK has 1 bytes after its last field");
        assertMalformed(new Wire(), bytes(
                0x10, 16,                               // CONNECT, remaining length 16
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,   // "MQTT" level 4
                0x02, 0x00, 0x3C,                       // clean session, keep alive 60
                0x00, 0x01, 'c',                        // client id "c"
                'x', 'y', 'z'),                         // garbage after the last field
                "CONNECT has 3 bytes after its last field");
    }

    // ---- CONNECT flags ----

    @ParameterizedTest(name = "flags 0x{0}: {1}")
    @CsvSource({
        "03, reserved flag bit 0 is set (MQTT-3.1.2-3)",
        "1E, will QoS 3",
        "12, will QoS 2, will retain false without will flag",
        "22, will QoS 0, will retain true without will flag",
        "42, password flag without user name flag (MQTT-3.1.2-22)",
    })
    void mqtt311ConnectFlagViolationsAreMalformed(String flags, String detail) {
        MqttViolation v = violation(new Wire().feed(bytes(
                0x10, 13,                               // CONNECT, remaining length 13
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,   // "MQTT" level 4
                Integer.parseInt(flags, 16),            // connect flags under test
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x01, 'c')));                     // client id "c" (no will, user, password fields)
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.detail()).startsWith("CONNECT " + detail);
    }

    @Test
    void mqtt5AllowsAPasswordWithoutUserName() {
        ConnectPacket c = new Wire().single(bytes(
                0x10, 18,                               // CONNECT, remaining length 18
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x42,                                   // flags: password, clean start
                0x00, 0x3C, 0x00,                       // keep alive 60, properties length 0
                0x00, 0x01, 'c',                        // client id "c"
                0x00, 0x02, 'p', 'w'),                  // password "pw"
                ConnectPacket.class);
        assertThat(c.password()).containsExactly('p', 'w');
        assertThat(c.username()).isNull();
    }

    @Test
    void mqtt31IgnoresTheReservedFlagAndKeepsItsClientIdLimit() {
        ConnectPacket c = new Wire().single(bytes(
                0x10, 15,                               // CONNECT, remaining length 15
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, // "MQIsdp" level 3
                0x03,                                   // flags: clean session + bit 0 (3.1 has no rule)
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x01, 'c'),                       // client id "c"
                ConnectPacket.class);
        assertThat(c.clientId()).isEqualTo("c");
    }

    // ---- 5.0 reason codes ----

    @ParameterizedTest(name = "first byte 0x{0} reason 0x{1}")
    @CsvSource({
        "40, 01, PUBACK", "40, 92, PUBACK", "50, 92, PUBREC", "62, 10, PUBREL", "70, 80, PUBCOMP",
        "E0, 01, DISCONNECT", "E0, 92, DISCONNECT", "F0, 01, AUTH", "F0, 87, AUTH",
    })
    void unknownReasonCodeIsMalformed(String firstByte, String code, String name) {
        boolean ack = !name.equals("DISCONNECT") && !name.equals("AUTH");
        byte[] packet = ack
                ? bytes(Integer.parseInt(firstByte, 16), 3,  // acknowledgement, remaining length 3
                        0x00, 0x01,                          // packet id 1
                        Integer.parseInt(code, 16))          // reason code not defined for this packet
                : bytes(Integer.parseInt(firstByte, 16), 1,  // DISCONNECT / AUTH, remaining length 1
                        Integer.parseInt(code, 16));         // reason code not defined for this packet
        assertMalformed(Wire.connectedV5(), packet,
                name + " reason code 0x" + code + " is not defined for " + name);
    }

    @Test
    void definedReasonCodesPass() {
        Wire w = Wire.connectedV5();
        w.single(bytes(0x40, 3, 0x00, 0x01, 0x99), PubAckPacket.class);   // PUBACK payload format invalid
        w.single(bytes(0x50, 3, 0x00, 0x02, 0x91), PubRecPacket.class);   // PUBREC packet id in use
        w.single(bytes(0x62, 3, 0x00, 0x03, 0x92), PubRelPacket.class);   // PUBREL packet id not found
        w.single(bytes(0x70, 3, 0x00, 0x04, 0x00), PubCompPacket.class);  // PUBCOMP success
        w.single(bytes(0xF0, 1, 0x19), AuthPacket.class);                 // AUTH re-authenticate
        w.single(bytes(0xE0, 1, 0x04), DisconnectPacket.class);           // DISCONNECT with will message
    }
}
