package org.eemqtt.codec;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.eemqtt.api.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;
import static org.eemqtt.codec.Wire.concat;

/**
 * MQTT strings must be well-formed UTF-8 without U+0000 (3.1.1 MQTT-1.5.3-1, MQTT-1.5.3-2; 5.0 MQTT-1.5.4-1,
 * MQTT-1.5.4-2). Netty alone would decode bad sequences to U+FFFD and let the packet through.
 */
class Utf8ValidationTest {

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    private static byte[] hexBytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    /** 3.1.1 PUBLISH QoS 0 whose topic is "a" followed by {@code tail}, payload "x". */
    private static byte[] publishWithTopic(byte[] tail) {
        return concat(
                bytes(0x30, 2 + 1 + tail.length + 1,    // PUBLISH QoS 0, remaining length
                        0x00, 1 + tail.length, 'a'),    // topic length, "a"
                tail,                                   // the bytes under test
                bytes('x'));                            // payload "x"
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "00          | U+0000",
        "C0 80       | overlong 2-byte form of U+0000",
        "C1 BF       | overlong 2-byte form of U+007F",
        "E0 80 80    | overlong 3-byte form",
        "E0 9F BF    | overlong 3-byte form of U+07FF",
        "F0 80 80 80 | overlong 4-byte form",
        "F0 8F BF BF | overlong 4-byte form of U+FFFF",
        "ED A0 80    | surrogate U+D800",
        "ED BF BF    | surrogate U+DFFF",
        "F4 90 80 80 | U+110000, above U+10FFFF",
        "F5 80 80 80 | lead byte F5",
        "FF          | byte FF",
        "80          | continuation byte without lead",
        "E2 82       | sequence cut off at the end of the string",
        "C3 41       | lead byte followed by ASCII",
        "E2 28 A1    | second byte not a continuation",
        "E2 82 28    | third byte not a continuation",
    })
    void illFormedTopicIsMalformed(String hex, String what) {
        MqttViolation v = violation(Wire.connectedV311().feed(publishWithTopic(hexBytes(hex))));

        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).startsWith("PUBLISH topic name is not a valid MQTT UTF-8 string");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "C2 80       | U+0080, smallest 2-byte form",
        "DF BF       | U+07FF",
        "E0 A0 80    | U+0800, smallest 3-byte form",
        "E2 82 AC    | U+20AC euro sign",
        "ED 9F BF    | U+D7FF, just below the surrogates",
        "EE 80 80    | U+E000, just above the surrogates",
        "EF BB BF    | U+FEFF byte order mark (MQTT-1.5.3-3: kept, not stripped)",
        "EF BF BF    | U+FFFF",
        "F0 90 80 80 | U+10000, smallest 4-byte form",
        "F0 9D 84 9E | U+1D11E musical symbol G clef",
        "F4 8F BF BF | U+10FFFF, the largest code point",
        "7F          | U+007F",
    })
    void wellFormedTopicPasses(String hex, String what) {
        PublishPacket p = Wire.connectedV311().single(publishWithTopic(hexBytes(hex)), PublishPacket.class);

        assertThat(p.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(concat(bytes('a'), hexBytes(hex)));
    }

    @Test
    void mqtt31StringsAreCheckedToo() {
        Wire w = new Wire();
        w.single(bytes(
                0x10, 15,                               // CONNECT, remaining length 15
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03,                                   // level 3 = 3.1
                0x02, 0x00, 0x3C,                       // clean session, keep alive 60 s
                0x00, 0x01, 'c'),                       // client id "c"
                ConnectPacket.class);

        MqttViolation v = violation(w.feed(publishWithTopic(hexBytes("ED A0 80")))); // surrogate U+D800
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.describe()).startsWith("MALFORMED_PACKET (MQTT 3.1): PUBLISH topic name is not a valid");
    }

    @Test
    void detailNamesTheBytesAndTheOffset() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 8,                                // PUBLISH QoS 0, remaining length 8
                0x00, 0x04, 'a', 0xED, 0xA0, 0x80,      // topic "a" + ED A0 80 (surrogate U+D800)
                0x00,                                   // properties length 0
                'x')));                                 // payload "x"

        assertThat(v.detail()).isEqualTo("PUBLISH topic name is not a valid MQTT UTF-8 string: bytes ED A0 80 "
                + "at offset 1: surrogate (U+D800..U+DFFF)");
    }

    @Test
    void clientIdentifierWithOverlongFormIsMalformedDuringConnect() {
        MqttViolation v = violation(new Wire().feed(bytes(
                0x10, 14,                               // CONNECT, remaining length 14
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x04,                                   // level 4 = 3.1.1
                0x02,                                   // flags: clean session
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x02, 0xC0, 0xAF)));              // client id: C0 AF, overlong "/"
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.detail()).startsWith("CONNECT client identifier is not a valid");
    }

    @Test
    void willTopicAndUserNameAreChecked() {
        byte[] connectWithWill = bytes(
                0x10, 23,                               // CONNECT, remaining length 23
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x04,                                   // level 4 = 3.1.1
                0x86,                                   // flags: user name, will flag, clean session
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x01, 'c',                        // client id "c"
                0x00, 0x02, 'w', 0x00,                  // will topic "w" U+0000
                0x00, 0x01, 'm',                        // will message "m"
                0x00, 0x01, 'u');                       // user name "u"
        assertThat(violation(new Wire().feed(connectWithWill)).detail()).startsWith("CONNECT will topic");

        byte[] connectWithUser = bytes(
                0x10, 18,                               // CONNECT, remaining length 18
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x05,                                   // level 5
                0x82,                                   // flags: user name, clean start
                0x00, 0x3C,                             // keep alive 60 s
                0x00,                                   // properties length 0
                0x00, 0x01, 'c',                        // client id "c"
                0x00, 0x02, 'u', 0xFF);                 // user name "u" + FF: never valid in UTF-8
        MqttViolation v = violation(new Wire().feed(connectWithUser));
        assertThat(v.detail()).startsWith("CONNECT user name");
        assertThat(v.duringConnect()).isTrue();
    }

    @Test
    void subscribeFilterWithNullCharacterIsMalformed() {
        MqttViolation v = violation(Wire.connectedV311().feed(bytes(
                0x82, 8,                                // SUBSCRIBE, remaining length 8
                0x00, 0x01,                             // packet id 1
                0x00, 0x03, 'a', 0x00, 'b',             // filter "a" U+0000 "b"
                0x01)));                                //   requested QoS 1
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).contains("SUBSCRIBE topic filter").contains("U+0000 at offset 1");
    }

    @Test
    void unsubscribeFilterWithSurrogateIsMalformed() {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0xA2, 8,                                // UNSUBSCRIBE, remaining length 8
                0x00, 0x02,                             // packet id 2
                0x00,                                   // properties length 0
                0x00, 0x03, 0xED, 0xB0, 0x80)));        // filter: ED B0 80 = surrogate U+DC00
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.detail()).startsWith("UNSUBSCRIBE topic filter");
    }

    @Test
    void bothHalvesOfAUserPropertyAreChecked() {
        MqttViolation name = violation(Wire.connectedV5().feed(bytes(
                0x30, 13,                               // PUBLISH QoS 0, remaining length 13
                0x00, 0x01, 't',                        // topic "t"
                8,                                      // properties length 8
                0x26, 0x00, 0x02, 0xC0, 0x80,           //   user property name C0 80 (overlong U+0000)
                0x00, 0x01, 'v',                        //   value "v"
                'x')));                                 // payload "x"
        assertThat(name.detail()).startsWith("PUBLISH User Property name is not a valid");

        MqttViolation value = violation(Wire.connectedV5().feed(bytes(
                0x30, 14,                               // PUBLISH QoS 0, remaining length 14
                0x00, 0x01, 't',                        // topic "t"
                9,                                      // properties length 9
                0x26, 0x00, 0x01, 'k',                  //   user property name "k"
                0x00, 0x03, 0xED, 0xA0, 0x80,           //   value ED A0 80 (surrogate U+D800)
                'x')));                                 // payload "x"
        assertThat(value.detail()).startsWith("PUBLISH User Property value is not a valid");
    }

    @ParameterizedTest(name = "property 0x{0}")
    @CsvSource({"03, Content Type", "08, Response Topic"})
    void stringPropertiesOfPublishAreChecked(String id, String name) {
        MqttViolation v = violation(Wire.connectedV5().feed(bytes(
                0x30, 10,                               // PUBLISH QoS 0, remaining length 10
                0x00, 0x01, 't',                        // topic "t"
                5,                                      // properties length 5
                Integer.parseInt(id, 16),               //   the string property
                0x00, 0x02, 'o', 0x00,                  //   "o" U+0000
                'x')));                                 // payload "x"
        assertThat(v.detail()).startsWith("PUBLISH " + name + " is not a valid MQTT UTF-8 string");
    }

    @Test
    void reasonStringAndAuthenticationMethodAreChecked() {
        MqttViolation reason = violation(Wire.connectedV5().feed(bytes(
                0x40, 8,                                // PUBACK, remaining length 8
                0x00, 0x01,                             // packet id 1
                0x00,                                   // reason success
                4,                                      // properties length 4
                0x1F, 0x00, 0x01, 0x80)));              //   reason string: lone continuation byte
        assertThat(reason.detail()).startsWith("PUBACK Reason String is not a valid");

        MqttViolation method = violation(new Wire().feed(bytes(
                0x10, 19,                               // CONNECT, remaining length 19
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x02, 0x00, 0x3C,                       // clean start, keep alive 60
                5,                                      // properties length 5
                0x15, 0x00, 0x02, 0xF8, 0x88,           //   authentication method: F8 is never valid
                0x00, 0x01, 'c')));                     // client id "c"
        assertThat(method.detail()).startsWith("CONNECT Authentication Method is not a valid");
        assertThat(method.duringConnect()).isTrue();
    }

    @Test
    void validMultiByteStringsEverywhereStillDecode() {
        Wire w = new Wire();
        ConnectPacket c = w.single(bytes(
                0x10, 27,                               // CONNECT, remaining length 27
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x02, 0x00, 0x3C,                       // clean start, keep alive 60
                10,                                     // properties length 10
                0x26, 0x00, 0x02, 0xC3, 0xA9,           //   user property name "é"
                0x00, 0x03, 0xE2, 0x82, 0xAC,           //   value "€"
                0x00, 0x04, 0xF0, 0x9F, 0x98, 0x80),    // client id U+1F600
                ConnectPacket.class);
        assertThat(c.userProperties()).containsExactly(new UserProperty("é", "€"));
        assertThat(c.clientId()).isEqualTo("\uD83D\uDE00");

        SubscribePacket s = w.single(bytes(
                0x82, 9,                                // SUBSCRIBE, remaining length 9
                0x00, 0x01, 0x00,                       // packet id 1, properties length 0
                0x00, 0x03, 0xE2, 0x82, 0xAC,           // filter "€"
                0x00),                                  //   QoS 0
                SubscribePacket.class);
        assertThat(s.subscriptions().get(0).topicFilter()).isEqualTo("€");
        UnsubscribePacket u = w.single(bytes(
                0xA2, 6,                                // UNSUBSCRIBE, remaining length 6
                0x00, 0x02, 0x00,                       // packet id 2, properties length 0
                0x00, 0x01, 'a'),                       // filter "a"
                UnsubscribePacket.class);
        assertThat(u.topicFilters()).containsExactly("a");
    }
}
