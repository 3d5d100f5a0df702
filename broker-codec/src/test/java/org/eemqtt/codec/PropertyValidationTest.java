package org.eemqtt.codec;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.SubscribePacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;
import static org.eemqtt.codec.Wire.concat;

/**
 * MQTT 5.0 properties (5.0 2.2.2): the property length fits, every identifier is known (else malformed), allowed
 * in the packet and not repeated (else a Protocol Error: "It is a Protocol Error to include ... more than once"),
 * and the values are in range.
 */
class PropertyValidationTest {

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    /** 5.0 PUBLISH QoS 0 to "t" with the given property bytes and payload "x". */
    private static byte[] publishWith(int... properties) {
        return concat(
                bytes(0x30, 3 + 1 + properties.length + 1, // PUBLISH QoS 0, remaining length
                        0x00, 0x01, 't',                //   topic "t"
                        properties.length),             //   properties length
                bytes(properties),                      //   the properties under test
                bytes('x'));                            //   payload "x"
    }

    /** 5.0 SUBSCRIBE, packet id 1, with the given property bytes and one filter "t" at QoS 0. */
    private static byte[] subscribeWith(int... properties) {
        return concat(
                bytes(0x82, 2 + 1 + properties.length + 4, // SUBSCRIBE, remaining length
                        0x00, 0x01,                     //   packet id 1
                        properties.length),             //   properties length
                bytes(properties),                      //   the properties under test
                bytes(0x00, 0x01, 't', 0x00));          //   filter "t", QoS 0
    }

    /** 5.0 CONNECT, client id "c", clean start, with the given CONNECT property bytes. */
    private static byte[] connectWith(int... properties) {
        return concat(
                bytes(0x10, 10 + 1 + properties.length + 3, // CONNECT, remaining length
                        0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, //  "MQTT" level 5
                        0x02, 0x00, 0x3C,               //   clean start, keep alive 60
                        properties.length),             //   properties length
                bytes(properties),                      //   the properties under test
                bytes(0x00, 0x01, 'c'));                //   client id "c"
    }

    @ParameterizedTest(name = "identifier 0x{0}")
    @CsvSource({"00", "04", "0A", "10", "14", "1B", "1D", "20", "2B", "7F", "80"})
    void unknownPropertyIdentifierIsMalformed(String id) {
        MqttViolation v = violation(Wire.connectedV5().feed(publishWith(
                Integer.parseInt(id, 16), 0x00)));      // unknown identifier, one value byte
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).isEqualTo("PUBLISH has unknown property identifier 0x" + id);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "'0x11, 0x00, 0x00, 0x00, 0x00', Session Expiry Interval",
        "'0x12, 0x00, 0x01, 0x61',       Assigned Client Identifier",
        "'0x13, 0x00, 0x0A',             Server Keep Alive",
        "'0x15, 0x00, 0x01, 0x61',       Authentication Method",
        "'0x1F, 0x00, 0x01, 0x61',       Reason String",
        "'0x21, 0x00, 0x0A',             Receive Maximum",
        "'0x24, 0x01',                   Maximum QoS",
        "'0x25, 0x01',                   Retain Available",
        "'0x27, 0x00, 0x00, 0x10, 0x00', Maximum Packet Size",
        "'0x0B, 0x01',                   Subscription Identifier",
    })
    void propertyNotAllowedInPublishIsAProtocolError(String property, String name) {
        int[] p = java.util.Arrays.stream(property.split(",")).mapToInt(s -> Integer.decode(s.trim())).toArray();
        MqttViolation v = violation(Wire.connectedV5().feed(publishWith(p)));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).startsWith(name + " (0x").contains("is not allowed in PUBLISH");
    }

    @Test
    void subscriptionIdentifierFromAClientInPublishNamesTheRule() {
        MqttViolation v = violation(Wire.connectedV5().feed(publishWith(
                0x0B, 0x05)));                          // subscription identifier 5: server-to-client only
        assertThat(v.detail()).endsWith("from a client (MQTT-3.3.4-6)");
    }

    @Test
    void propertyNotAllowedInOtherPacketsIsAProtocolError() {
        assertThat(violation(Wire.connectedV5().feed(subscribeWith(
                0x01, 0x01))).kind())                   // payload format indicator in SUBSCRIBE
                .isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(violation(Wire.connectedV5().feed(bytes(
                0xA2, 8,                                // UNSUBSCRIBE, remaining length 8
                0x00, 0x01,                             // packet id 1
                2, 0x0B, 0x01,                          // properties: subscription identifier 1 (SUBSCRIBE only)
                0x00, 0x01, 't'))).detail())            // filter "t"
                .isEqualTo("Subscription Identifier (0x0B) is not allowed in UNSUBSCRIBE");
        assertThat(violation(Wire.connectedV5().feed(bytes(
                0x40, 7,                                // PUBACK, remaining length 7
                0x00, 0x01, 0x00,                       // packet id 1, reason success
                3, 0x23, 0x00, 0x01))).detail())        // properties: topic alias 1 (PUBLISH only)
                .isEqualTo("Topic Alias (0x23) is not allowed in PUBACK");
        assertThat(violation(Wire.connectedV5().feed(bytes(
                0xE0, 4,                                // DISCONNECT, remaining length 4
                0x00,                                   // reason normal disconnection
                2, 0x17, 0x01))).kind())                // properties: request problem information (CONNECT)
                .isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(violation(Wire.connectedV5().feed(bytes(
                0xF0, 4,                                // AUTH, remaining length 4
                0x18,                                   // reason continue authentication
                2, 0x01, 0x00))).kind())                // properties: payload format indicator
                .isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
    }

    @Test
    void propertyNotAllowedInConnectIsAProtocolErrorAnsweredWithConnAck0x82() {
        Wire w = new Wire();
        MqttViolation v = violation(w.feed(connectWith(
                0x23, 0x00, 0x01)));                    // topic alias in CONNECT: PUBLISH only
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.duringConnect()).isTrue();
        MqttPipeline.closeFor(w.channel, v);
        assertThat(w.written()).containsExactly(0x20, 0x03, 0x00, 0x82, 0x00); // CONNACK 0x82
    }

    @Test
    void willPropertiesHaveTheirOwnAllowedSet() {
        byte[] willWith = bytes(
                0x10, 23,                               // CONNECT, remaining length 23
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x06,                                   // flags: will flag, clean start
                0x00, 0x3C, 0x00,                       // keep alive 60, properties length 0
                0x00, 0x01, 'c',                        // client id "c"
                3, 0x21, 0x00, 0x05,                    // will properties: receive maximum 5 (CONNECT only)
                0x00, 0x01, 'w',                        // will topic "w"
                0x00, 0x00);                            // empty will payload
        MqttViolation v = violation(new Wire().feed(willWith));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("Receive Maximum (0x21) is not allowed in CONNECT will");

        ConnectPacket c = new Wire().single(bytes(
                0x10, 47,                               // CONNECT, remaining length 47
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x06,                                   // flags: will flag, clean start
                0x00, 0x3C, 0x00,                       // keep alive 60, properties length 0
                0x00, 0x01, 'c',                        // client id "c"
                27,                                     // will properties length 27: all seven kinds
                0x18, 0x00, 0x00, 0x00, 0x01,           //   will delay interval 1
                0x01, 0x00,                             //   payload format indicator 0
                0x02, 0x00, 0x00, 0x00, 0x3C,           //   message expiry interval 60
                0x03, 0x00, 0x00,                       //   content type ""
                0x08, 0x00, 0x01, 'r',                  //   response topic "r"
                0x09, 0x00, 0x00,                       //   correlation data (empty)
                0x26, 0x00, 0x00, 0x00, 0x00,           //   user property ""=""
                0x00, 0x01, 'w',                        // will topic "w"
                0x00, 0x00),                            // empty will payload
                ConnectPacket.class);
        assertThat(c.will().delayIntervalSeconds()).isEqualTo(1);
        assertThat(c.will().properties().responseTopic()).isEqualTo("r");
    }

    @Test
    void repeatedPropertyIsAProtocolErrorButUserPropertiesMayRepeat() {
        MqttViolation v = violation(Wire.connectedV5().feed(publishWith(
                0x01, 0x01,                             // payload format indicator 1
                0x01, 0x01)));                          // ... again
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("PUBLISH includes Payload Format Indicator more than once");

        assertThat(violation(Wire.connectedV5().feed(subscribeWith(
                0x0B, 0x01, 0x0B, 0x02))).detail())     // subscription identifier 1, then 2
                .isEqualTo("SUBSCRIBE includes Subscription Identifier more than once");

        PublishPacket p = Wire.connectedV5().single(publishWith(
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, '1', // user property k=1
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, '2'), // user property k=2: repeating is allowed
                PublishPacket.class);
        assertThat(p.properties().userProperties()).hasSize(2);
    }

    @Test
    void propertyLengthBeyondThePacketIsMalformed() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 6,                                // PUBLISH QoS 0, remaining length 6
                0x00, 0x01, 't',                        // topic "t"
                9,                                      // properties length 9: only 2 bytes follow
                0x01, 0x01)));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).isEqualTo("PUBLISH property length 9 exceeds the packet by 7 bytes");
    }

    @Test
    void propertyValueRunningPastThePropertyBlockIsMalformed() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 10,                               // PUBLISH QoS 0, remaining length 10
                0x00, 0x01, 't',                        // topic "t"
                3,                                      // properties length 3
                0x02, 0x00, 0x00,                       //   message expiry: 4-byte value cut at 2 bytes
                0x00, 0x3C,                             // (the payload, not part of the property block)
                'x')));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).isEqualTo("PUBLISH Message Expiry Interval needs 4 bytes but only 2 remain in the "
                + "property block");
    }

    @Test
    void propertyLengthNotMinimallyEncodedIsMalformed() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 6,                                // PUBLISH QoS 0, remaining length 6
                0x00, 0x01, 't',                        // topic "t"
                0x80, 0x00,                             // properties length 0 written in two bytes
                'x')));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("MQTT-1.5.5-1");
    }

    @Test
    void payloadFormatIndicatorAbove1IsAProtocolError() {
        MqttViolation v = violation(Wire.connectedV5().feed(publishWith(
                0x01, 0x02)));                          // payload format indicator 2: only 0 and 1 exist
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("PUBLISH Payload Format Indicator must be 0 or 1, got 2");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "0x17, 0x02                   | CONNECT Request Problem Information must be 0 or 1, got 2",
        "0x19, 0xFF                   | CONNECT Request Response Information must be 0 or 1, got 255",
        "0x21, 0x00, 0x00             | CONNECT Receive Maximum 0 (5.0 3.1.2.11.3)",
        "0x27, 0x00, 0x00, 0x00, 0x00 | CONNECT Maximum Packet Size 0 (5.0 3.1.2.11.4)",
        "0x16, 0x00, 0x01, 0x01       | CONNECT Authentication Data without Authentication Method (5.0 3.1.2.11.10)",
        "0x11, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x01 "
            + "| CONNECT includes Session Expiry Interval more than once",
    })
    void connectPropertyRangesAreProtocolErrors(String property, String detail) {
        int[] p = java.util.Arrays.stream(property.split(",")).mapToInt(s -> Integer.decode(s.trim())).toArray();
        MqttViolation v = violation(new Wire().feed(connectWith(p)));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.detail()).isEqualTo(detail);
    }

    @Test
    void connectPropertiesAtTheEdgesOfTheirRangesPass() {
        ConnectPacket c = new Wire().single(connectWith(
                0x17, 0x01,                             // request problem information 1
                0x19, 0x00,                             // request response information 0
                0x21, 0x00, 0x01,                       // receive maximum 1
                0x27, 0x00, 0x00, 0x00, 0x01,           // maximum packet size 1
                0x15, 0x00, 0x01, 'm',                  // authentication method "m"
                0x16, 0x00, 0x00),                      // authentication data (empty), after the method
                ConnectPacket.class);
        assertThat(c.receiveMaximum()).isEqualTo(1);
        assertThat(c.maximumPacketSize()).isEqualTo(1);
        assertThat(c.requestProblemInformation()).isTrue();
    }

    @Test
    void subscriptionIdentifierZeroIsAProtocolErrorItsMaximumPasses() {
        MqttViolation v = violation(Wire.connectedV5().feed(subscribeWith(
                0x0B, 0x00)));                          // subscription identifier 0
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.PROTOCOL_ERROR);
        assertThat(v.detail()).isEqualTo("SUBSCRIBE Subscription Identifier 0 (5.0 3.8.2.1.2)");

        SubscribePacket s = Wire.connectedV5().single(subscribeWith(
                0x0B, 0xFF, 0xFF, 0xFF, 0x7F),          // subscription identifier 268,435,455
                SubscribePacket.class);
        assertThat(s.subscriptionIdentifier()).isEqualTo(268_435_455);
    }

    @Test
    void topicAliasZeroIsLeftToTheBrokerWhichAnswers0x94() {
        PublishPacket p = Wire.connectedV5().single(publishWith(
                0x23, 0x00, 0x00),                      // topic alias 0
                PublishPacket.class);
        assertThat(p.properties().topicAlias()).isZero();
    }

    @Test
    void allowedPropertiesOfAcknowledgementsAndDisconnectPass() {
        Wire w = Wire.connectedV5();
        assertThat(w.single(bytes(
                0x40, 11,                               // PUBACK, remaining length 11
                0x00, 0x01, 0x00,                       // packet id 1, reason success
                7, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'), // properties: user property k=v
                PubAckPacket.class).packetId()).isEqualTo(1);
        assertThat(w.single(bytes(
                0xE0, 14,                               // DISCONNECT, remaining length 14
                0x00,                                   // reason normal disconnection
                12,                                     // properties length 12
                0x11, 0x00, 0x00, 0x00, 0x00,           //   session expiry interval 0
                0x1C, 0x00, 0x01, 's',                  //   server reference "s"
                0x1F, 0x00, 0x00),                      //   reason string ""
                DisconnectPacket.class).sessionExpiryInterval()).isZero();
    }
}
