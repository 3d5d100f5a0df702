package org.eemqtt.codec;

import io.netty.channel.ChannelFuture;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnAckProperties;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PingRespPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;
import org.eemqtt.api.packet.UserProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;
import static org.eemqtt.codec.Wire.hex;

/** The bytes the broker's packets become, per protocol version, through the real pipeline. */
class EncodingTest {

    @Test
    void mqtt311ConnAckWithSessionPresent() {
        assertThat(Wire.connectedV311().write(new ConnAckPacket(true, ConnectReasonCode.SUCCESS, null)))
                .containsExactly(bytes(0x20, 0x02, 0x01, 0x00)); // CONNACK, length 2, session present, accepted
    }

    @Test
    void mqtt311RefusalUsesTheV3ReturnCodeAndNoSessionPresent() {
        assertThat(Wire.connectedV311().write(new ConnAckPacket(true, ConnectReasonCode.BANNED, null)))
                .containsExactly(bytes(0x20, 0x02, 0x00, 0x05)); // return code 5 not authorized
    }

    @Test
    void mqtt31ConnAckHasNoSessionPresentFlag() {
        Wire w = new Wire();
        w.single(bytes(
                0x10, 15,                               // CONNECT, remaining length 15
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // "MQIsdp"
                0x03, 0x00, 0x00, 0x3C,                 // level 3, no flags, keep alive 60
                0x00, 0x01, 'c'),                       // client id "c"
                org.eemqtt.api.packet.ConnectPacket.class);
        assertThat(w.write(new ConnAckPacket(true, ConnectReasonCode.SUCCESS, null)))
                .containsExactly(bytes(0x20, 0x02, 0x00, 0x00));
    }

    @Test
    void mqtt5ConnAckWithMaximumPacketSize() {
        ConnAckProperties props = new ConnAckProperties(null, null, null, null, 16_384L, null, null, null, null,
                null, null, null, null, null, null);
        assertThat(Wire.connectedV5().write(new ConnAckPacket(false, ConnectReasonCode.SUCCESS, props)))
                .containsExactly(bytes(
                        0x20, 0x08,                     // CONNACK, remaining length 8
                        0x00,                           // no session present
                        0x00,                           // reason success
                        0x05,                           // properties length 5
                        0x27, 0x00, 0x00, 0x40, 0x00)); //   maximum packet size 16384
    }

    @Test
    void mqtt5ConnAckProperties() {
        ConnAckProperties props = new ConnAckProperties(0xFFFF_FFFFL, 10, 1, false, null, "gen", 0, null, null,
                null, null, 30, null, null, null);
        byte[] out = Wire.connectedV5().write(new ConnAckPacket(false, ConnectReasonCode.SUCCESS, props));
        // Netty writes properties in hash order: check the header, then each property as a sub-sequence.
        assertThat(out).startsWith(bytes(0x20, 27, 0x00, 0x00, 24)); // length 27, flags, reason, props length 24
        assertThat(hex(out))
                .contains("11ffffffff")                 // session expiry 0xFFFFFFFF
                .contains("21000a")                     // receive maximum 10
                .contains("2401")                       // maximum QoS 1
                .contains("2500")                       // retain available 0
                .contains("12000367656e")               // assigned client identifier "gen"
                .contains("220000")                     // topic alias maximum 0
                .contains("13001e");                    // server keep alive 30
    }

    @Test
    void mqtt5RefusalWithReasonCode() {
        assertThat(Wire.connectedV5().write(ConnAckPacket.refuse(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD)))
                .containsExactly(bytes(0x20, 0x03, 0x00, 0x86, 0x00)); // reason 0x86, properties length 0
    }

    @Test
    void mqtt311SubAckFailureIs0x80() {
        assertThat(Wire.connectedV311().write(new SubAckPacket(10,
                List.of(SubAckReasonCode.GRANTED_QOS_1, SubAckReasonCode.NOT_AUTHORIZED), "no")))
                .containsExactly(bytes(
                        0x90, 0x04,                     // SUBACK, remaining length 4
                        0x00, 0x0A,                     // packet id 10
                        0x01,                           // granted QoS 1
                        0x80));                         // failure (0x87 does not exist in 3.x)
    }

    @Test
    void mqtt5SubAckKeepsReasonCodes() {
        assertThat(Wire.connectedV5().write(new SubAckPacket(10,
                List.of(SubAckReasonCode.GRANTED_QOS_2, SubAckReasonCode.NOT_AUTHORIZED), null)))
                .containsExactly(bytes(
                        0x90, 0x05,                     // SUBACK, remaining length 5
                        0x00, 0x0A,                     // packet id 10
                        0x00,                           // properties length 0
                        0x02,                           // granted QoS 2
                        0x87));                         // not authorized
    }

    @Test
    void mqtt311PubAckCarriesOnlyThePacketId() {
        assertThat(Wire.connectedV311().write(new PubAckPacket(7, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                "nobody"))).containsExactly(bytes(0x40, 0x02, 0x00, 0x07)); // PUBACK, length 2, packet id 7
    }

    @Test
    void mqtt5PubAck() {
        Wire w = Wire.connectedV5();
        assertThat(w.write(new PubAckPacket(7, PubAckReasonCode.SUCCESS)))
                .containsExactly(bytes(0x40, 0x02, 0x00, 0x07)); // success without properties: short form
        assertThat(w.write(new PubAckPacket(7, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS)))
                .containsExactly(bytes(
                        0x40, 0x04,                     // PUBACK, remaining length 4
                        0x00, 0x07,                     // packet id 7
                        0x10,                           // no matching subscribers
                        0x00));                         // properties length 0
        assertThat(w.write(new PubAckPacket(7, PubAckReasonCode.QUOTA_EXCEEDED, "q")))
                .containsExactly(bytes(
                        0x40, 0x08,                     // PUBACK, remaining length 8
                        0x00, 0x07,                     // packet id 7
                        0x97,                           // quota exceeded
                        0x04,                           // properties length 4
                        0x1F, 0x00, 0x01, 'q'));        //   reason string "q"
    }

    @Test
    void pubRelHasFlags0010() {
        assertThat(Wire.connectedV311().write(new PubRelPacket(7, PubRelReasonCode.SUCCESS)))
                .containsExactly(bytes(0x62, 0x02, 0x00, 0x07));
    }

    @Test
    void unsubAckPerVersion() {
        UnsubAckPacket u = new UnsubAckPacket(11,
                List.of(UnsubAckReasonCode.SUCCESS, UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED), null);
        assertThat(Wire.connectedV311().write(u))
                .containsExactly(bytes(0xB0, 0x02, 0x00, 0x0B)); // 3.x: packet id only
        assertThat(Wire.connectedV5().write(u)).containsExactly(bytes(
                0xB0, 0x05,                             // UNSUBACK, remaining length 5
                0x00, 0x0B,                             // packet id 11
                0x00,                                   // properties length 0
                0x00, 0x11));                           // success, no subscription existed
    }

    @Test
    void mqtt5PublishWithProperties() {
        PublishProperties props = new PublishProperties(1, null, null, null, null,
                List.of(new UserProperty("k", "v")), List.of(5), null);
        byte[] out = Wire.connectedV5().write(new PublishPacket("a/b", QoS.AT_LEAST_ONCE, true, false, 7,
                bytes('h', 'i'), props));
        assertThat(out).startsWith(bytes(
                0x33, 21,                               // PUBLISH QoS 1 retain, remaining length 21
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00, 0x07,                             // packet id 7
                11));                                   // properties length 11
        assertThat(hex(out))
                .contains("0101")                       // payload format indicator 1
                .contains("0b05")                       // subscription identifier 5
                .contains("2600016b000176")             // user property k=v
                .endsWith("6869");                      // payload "hi"
    }

    @Test
    void mqtt311PublishDropsProperties() {
        PublishProperties props = new PublishProperties(1, 60L, null, null, null, List.of(), List.of(5), null);
        assertThat(Wire.connectedV311().write(new PublishPacket("a/b", QoS.AT_LEAST_ONCE, false, true, 7,
                bytes('x'), props))).containsExactly(bytes(
                        0x3A, 8,                        // PUBLISH DUP QoS 1, remaining length 8
                        0x00, 0x03, 'a', '/', 'b',      // topic "a/b"
                        0x00, 0x07,                     // packet id 7
                        'x'));                          // payload "x"
    }

    @Test
    void mqtt5DisconnectWithReasonCode() {
        assertThat(Wire.connectedV5().write(DisconnectPacket.of(DisconnectReasonCode.SESSION_TAKEN_OVER)))
                .containsExactly(bytes(
                        0xE0, 0x02,                     // DISCONNECT, remaining length 2
                        0x8E,                           // session taken over
                        0x00));                         // properties length 0
    }

    @Test
    void mqtt5DisconnectWithReasonStringAndServerReference() {
        byte[] out = Wire.connectedV5().write(new DisconnectPacket(DisconnectReasonCode.USE_ANOTHER_SERVER, null,
                "r", "s"));
        assertThat(out).startsWith(bytes(0xE0, 10, 0x9C, 8)); // length 10, reason 0x9C, properties length 8
        assertThat(hex(out)).contains("1f000172").contains("1c000173"); // reason string "r", server ref "s"
    }

    @Test
    void disconnectIsNeverSentToMqtt3Clients() {
        Wire w = Wire.connectedV311();
        ChannelFuture f = w.channel.writeAndFlush(DisconnectPacket.of(DisconnectReasonCode.SESSION_TAKEN_OVER));
        assertThat(w.written()).isEmpty();
        assertThat(f.isSuccess()).isTrue(); // so that a close-after-write listener still closes
    }

    @Test
    void pingRespAndAuth() {
        Wire w = Wire.connectedV5();
        assertThat(w.write(PingRespPacket.INSTANCE)).containsExactly(bytes(0xD0, 0x00));
        assertThat(w.write(new AuthPacket(AuthReasonCode.CONTINUE_AUTHENTICATION, "M", null, null)))
                .containsExactly(bytes(
                        0xF0, 0x06,                     // AUTH, remaining length 6
                        0x18,                           // continue authentication
                        0x04,                           // properties length 4
                        0x15, 0x00, 0x01, 'M'));        //   authentication method "M"
    }
}
