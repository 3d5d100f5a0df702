package org.eemqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CONNECT payload must hold exactly the fields its flags announce, each a valid string where the spec says
 * UTF-8 (3.1.1 MQTT-3.1.2-9, -18..-21, MQTT-3.1.3-10, -11; 5.0 MQTT-3.1.2-9, -11, -13, -16..-19, MQTT-3.1.3-11,
 * -12): anything else is a malformed CONNECT, refused during the connect.
 */
class ConnectPayloadValidationTest {

    /** CONNECT "MQTT" at the level, with the flags, keep alive 60, [5.0: no properties], client id "c", rest. */
    private static byte[] connect(int level, int flags, byte[] rest) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', (byte) level, (byte) flags, 0, 60});
        if (level == 5) {
            body.write(0);
        }
        body.writeBytes(new byte[] {0, 1, 'c'});
        body.writeBytes(rest);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size()); // all of these are shorter than 128 bytes
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static MqttViolation violation(List<Object> out) {
        assertThat(out).singleElement().isInstanceOf(MqttViolation.class);
        return (MqttViolation) out.get(0);
    }

    @ParameterizedTest(name = "level {0}, flags {1}: {3}")
    @CsvSource({
        "4, 82, '',               CONNECT user name length needs",      // user name flag, no user name
        "5, 82, '',               CONNECT user name length needs",
        "4, C2, 0001 75,          CONNECT password length needs",       // password flag, no password
        "5, C2, 0001 75,          CONNECT password length needs",
        "4, 06, '',               CONNECT will topic length needs",     // will flag, no will topic
        "5, 06, 00,               CONNECT will topic length needs",     // (5.0: after the will properties)
        "4, 06, 0001 77,          CONNECT will payload length needs",   // will topic, no will message
        "5, 06, 00 0001 77,       CONNECT will payload length needs",
        "4, 02, 0001 75,          CONNECT has 3 bytes after",    // no user name flag, but a user name
        "5, 02, 0001 75,          CONNECT has 3 bytes after",
        "4, 82, 0001 75 0002 7077, CONNECT has 4 bytes after",   // no password flag, but a password
        "5, 82, 0001 75 0002 7077, CONNECT has 4 bytes after",
        "5, 12, '',               CONNECT will QoS 2, will retain false without will flag", // 5.0 MQTT-3.1.2-11
        "5, 22, '',               CONNECT will QoS 0, will retain true without will flag",  // 5.0 MQTT-3.1.2-13
    })
    void payloadMustMatchTheFlags(int level, String flags, String restHex, String detailStart) {
        byte[] rest = java.util.HexFormat.of().parseHex(restHex.replace(" ", ""));
        MqttViolation v = violation(new Wire().feed(connect(level, Integer.parseInt(flags, 16), rest)));
        assertThat(v.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(v.duringConnect()).isTrue();
        assertThat(v.detail()).startsWith(detailStart);
    }

    @Test
    void userNameOf311AndWillTopicOf5MustBeUtf8() {
        // 3.1.1: user name "u" + FF (never valid in UTF-8)
        MqttViolation user = violation(new Wire().feed(connect(4, 0x82, new byte[] {0, 2, 'u', (byte) 0xFF})));
        assertThat(user.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(user.detail()).startsWith("CONNECT user name");
        // 5.0: no will properties, will topic "w" + U+0000, will payload "m"
        MqttViolation willTopic = violation(new Wire().feed(connect(5, 0x06,
                new byte[] {0, 0, 2, 'w', 0, 0, 1, 'm'})));
        assertThat(willTopic.kind()).isEqualTo(MqttViolation.Kind.MALFORMED_PACKET);
        assertThat(willTopic.detail()).startsWith("CONNECT will topic");
    }
}
