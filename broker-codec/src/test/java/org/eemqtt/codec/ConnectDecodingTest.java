package org.eemqtt.codec;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.api.packet.Will;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;
import static org.eemqtt.codec.Wire.hex;

class ConnectDecodingTest {

    @Test
    void mqtt311ConnectWithUserAndPassword() {
        Wire w = new Wire();
        ConnectPacket c = w.single(bytes(
                0x10, 29,                               // CONNECT, remaining length 29
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x04,                                   // level 4 = 3.1.1
                0xC2,                                   // flags: user name, password, clean session
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x06, 'c', 'l', 'i', 'e', 'n', 't', // client id "client"
                0x00, 0x04, 'u', 's', 'e', 'r',         // user name "user"
                0x00, 0x03, 's', 'e', 'c'),             // password "sec"
                ConnectPacket.class);

        assertThat(c.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(c.clientId()).isEqualTo("client");
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.keepAliveSeconds()).isEqualTo(60);
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).containsExactly('s', 'e', 'c');
        assertThat(c.will()).isNull();
        // 3.x semantics in the 5.0 fields
        assertThat(c.sessionExpiryInterval()).isZero();
        assertThat(c.receiveMaximum()).isEqualTo(65_535);
        assertThat(c.maximumPacketSize()).isEqualTo(ConnectPacket.UNLIMITED_PACKET_SIZE);
        assertThat(c.topicAliasMaximum()).isZero();
        assertThat(c.requestResponseInformation()).isFalse();
        assertThat(c.requestProblemInformation()).isTrue();
        assertThat(c.userProperties()).isEmpty();
        assertThat(c.authenticationMethod()).isNull();
        assertThat(MqttPipeline.version(w.channel)).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    void mqtt311PersistentSessionWithWill() {
        ConnectPacket c = new Wire().single(bytes(
                0x10, 22,                               // CONNECT, remaining length 22
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x04,                                   // level 4 = 3.1.1
                0x2C,                                   // flags: will retain, will QoS 1, will flag; no clean
                0x00, 0x0A,                             // keep alive 10 s
                0x00, 0x01, 'c',                        // client id "c"
                0x00, 0x03, 'w', '/', 't',              // will topic "w/t"
                0x00, 0x02, 'h', 'i'),                  // will message "hi"
                ConnectPacket.class);

        assertThat(c.cleanStart()).isFalse();
        assertThat(c.sessionExpiryInterval()).isEqualTo(ConnectPacket.SESSION_NEVER_EXPIRES);
        Will will = c.will();
        assertThat(will.topic()).isEqualTo("w/t");
        assertThat(will.payload()).containsExactly('h', 'i');
        assertThat(will.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(will.retain()).isTrue();
        assertThat(will.delayIntervalSeconds()).isZero();
        assertThat(c.username()).isNull();
        assertThat(c.password()).isNull();
    }

    @Test
    void mqtt31Connect() {
        Wire w = new Wire();
        ConnectPacket c = w.single(bytes(
                0x10, 19,                               // CONNECT, remaining length 19
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03,                                   // level 3 = 3.1
                0x02,                                   // flags: clean session
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 0x05, 'a', 'b', 'c', 'd', 'e'),   // client id "abcde"
                ConnectPacket.class);

        assertThat(c.version()).isEqualTo(MqttVersion.V3_1);
        assertThat(c.clientId()).isEqualTo("abcde");
        assertThat(c.cleanStart()).isTrue();
        assertThat(MqttPipeline.version(w.channel)).isEqualTo(MqttVersion.V3_1);
    }

    @Test
    void mqtt5ConnectWithProperties() {
        ConnectPacket c = new Wire().single(bytes(
                0x10, 45,                               // CONNECT, remaining length 45
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x05,                                   // level 5
                0x80,                                   // flags: user name; clean start 0
                0x00, 0x1E,                             // keep alive 30 s
                27,                                     // properties length 27
                0x11, 0x00, 0x00, 0x0E, 0x10,           //   session expiry interval 3600
                0x21, 0x00, 0x14,                       //   receive maximum 20
                0x27, 0x00, 0x00, 0x40, 0x00,           //   maximum packet size 16384
                0x22, 0x00, 0x05,                       //   topic alias maximum 5
                0x19, 0x01,                             //   request response information 1
                0x17, 0x00,                             //   request problem information 0
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   user property k=v
                0x00, 0x02, 'c', '5',                   // client id "c5"
                0x00, 0x01, 'u'),                       // user name "u"
                ConnectPacket.class);

        assertThat(c.version()).isEqualTo(MqttVersion.V5);
        assertThat(c.clientId()).isEqualTo("c5");
        assertThat(c.cleanStart()).isFalse();
        assertThat(c.keepAliveSeconds()).isEqualTo(30);
        assertThat(c.username()).isEqualTo("u");
        assertThat(c.password()).isNull();
        assertThat(c.sessionExpiryInterval()).isEqualTo(3600);
        assertThat(c.receiveMaximum()).isEqualTo(20);
        assertThat(c.maximumPacketSize()).isEqualTo(16_384);
        assertThat(c.topicAliasMaximum()).isEqualTo(5);
        assertThat(c.requestResponseInformation()).isTrue();
        assertThat(c.requestProblemInformation()).isFalse();
        assertThat(c.userProperties()).containsExactly(new UserProperty("k", "v"));
    }

    @Test
    void mqtt5DefaultsWhenPropertiesAbsent() {
        ConnectPacket c = new Wire().single(Wire.CONNECT_V5, ConnectPacket.class);

        assertThat(c.sessionExpiryInterval()).isZero();
        assertThat(c.receiveMaximum()).isEqualTo(65_535);
        assertThat(c.maximumPacketSize()).isEqualTo(ConnectPacket.UNLIMITED_PACKET_SIZE);
        assertThat(c.requestProblemInformation()).isTrue();
        assertThat(c.requestResponseInformation()).isFalse();
    }

    @Test
    void mqtt5WillPropertiesSessionNeverExpiresAndAuthentication() {
        ConnectPacket c = new Wire().single(bytes(
                0x10, 50,                               // CONNECT, remaining length 50
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x05,                                   // level 5
                0x16,                                   // flags: will QoS 2, will flag, clean start
                0x00, 0x00,                             // keep alive 0
                15,                                     // properties length 15
                0x11, 0xFF, 0xFF, 0xFF, 0xFF,           //   session expiry 0xFFFFFFFF (never)
                0x15, 0x00, 0x02, 'A', 'M',             //   authentication method "AM"
                0x16, 0x00, 0x02, 0x01, 0x02,           //   authentication data 01 02
                0x00, 0x01, 'c',                        // client id "c"
                12,                                     // will properties length 12
                0x18, 0x00, 0x00, 0x00, 0x05,           //   will delay interval 5
                0x01, 0x01,                             //   payload format indicator 1 (UTF-8)
                0x03, 0x00, 0x02, 't', 'x',             //   content type "tx"
                0x00, 0x01, 'w',                        // will topic "w"
                0x00, 0x03, 'b', 'y', 'e'),             // will payload "bye"
                ConnectPacket.class);

        assertThat(c.sessionExpiryInterval()).isEqualTo(0xFFFF_FFFFL);
        assertThat(c.authenticationMethod()).isEqualTo("AM");
        assertThat(c.authenticationData()).containsExactly(1, 2);
        Will will = c.will();
        assertThat(will.topic()).isEqualTo("w");
        assertThat(will.payload()).containsExactly('b', 'y', 'e');
        assertThat(will.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(will.retain()).isFalse();
        assertThat(will.delayIntervalSeconds()).isEqualTo(5);
        assertThat(will.properties().payloadFormatIndicator()).isEqualTo(1);
        assertThat(will.properties().contentType()).isEqualTo("tx");
    }

    @Test
    void mqtt31ClientIdOver23CharactersIsRefusedWithReturnCode2() {
        Wire w = new Wire();
        List<Object> out = w.feed(bytes(
                0x10, 38,                               // CONNECT, remaining length 38
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03,                                   // level 3 = 3.1
                0x02,                                   // flags: clean session
                0x00, 0x3C,                             // keep alive 60 s
                0x00, 24,                               // client id length 24 (3.1 allows 23)
                'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l',
                'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x'));

        assertThat(out).singleElement().isInstanceOfSatisfying(MqttViolation.class, v -> {
            assertThat(v.kind()).isEqualTo(MqttViolation.Kind.CLIENT_IDENTIFIER_REJECTED);
            assertThat(v.answered()).isTrue();
        });
        assertThat(hex(w.written())).isEqualTo("20020002"); // CONNACK, return code 2 identifier rejected
        assertThat(w.channel.isOpen()).isFalse();
    }

    @Test
    void secondConnectIsPassedOnForTheBrokerToRefuse() {
        Wire w = Wire.connectedV5();

        ConnectPacket again = w.single(Wire.CONNECT_V311, ConnectPacket.class);

        assertThat(again.version()).isEqualTo(MqttVersion.V3_1_1);
        // The connection stays 5.0: the broker's DISCONNECT 0x82 must go out in 5.0 form.
        assertThat(MqttPipeline.version(w.channel)).isEqualTo(MqttVersion.V5);
        assertThat(hex(w.write(org.eemqtt.api.packet.DisconnectPacket.of(
                org.eemqtt.api.packet.DisconnectReasonCode.PROTOCOL_ERROR)))).isEqualTo("e0028200");
    }
}
