package org.eemqtt.codec;

import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.eemqtt.api.packet.UserProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;

class PacketDecodingTest {

    @Test
    void publishQos0() {
        PublishPacket p = Wire.connectedV5().single(bytes(
                0x30, 7,                                // PUBLISH QoS 0, remaining length 7
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00,                                   // properties length 0
                'x'),                                   // payload "x"
                PublishPacket.class);

        assertThat(p.topic()).isEqualTo("a/b");
        assertThat(p.qos()).isEqualTo(QoS.AT_MOST_ONCE);
        assertThat(p.packetId()).isZero();
        assertThat(p.retain()).isFalse();
        assertThat(p.dup()).isFalse();
        assertThat(p.payload()).containsExactly('x');
        assertThat(p.properties()).isEqualTo(PublishProperties.NONE);
    }

    @Test
    void publishQos1WithAllMqtt5Properties() {
        PublishPacket p = Wire.connectedV5().single(bytes(
                0x32, 48,                               // PUBLISH QoS 1, remaining length 48
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00, 0x07,                             // packet id 7
                35,                                     // properties length 35
                0x01, 0x01,                             //   payload format indicator 1
                0x02, 0x00, 0x00, 0x00, 0x3C,           //   message expiry interval 60
                0x23, 0x00, 0x02,                       //   topic alias 2
                0x08, 0x00, 0x03, 'r', '/', 't',        //   response topic "r/t"
                0x09, 0x00, 0x02, 0xCA, 0xFE,           //   correlation data CA FE
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   user property k=v
                0x03, 0x00, 0x04, 't', 'e', 'x', 't',   //   content type "text"
                'h', 'e', 'l', 'l', 'o'),               // payload "hello"
                PublishPacket.class);

        assertThat(p.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(p.packetId()).isEqualTo(7);
        assertThat(p.payload()).containsExactly('h', 'e', 'l', 'l', 'o');
        PublishProperties props = p.properties();
        assertThat(props.payloadFormatIndicator()).isEqualTo(1);
        assertThat(props.messageExpiryInterval()).isEqualTo(60L);
        assertThat(props.topicAlias()).isEqualTo(2);
        assertThat(props.responseTopic()).isEqualTo("r/t");
        assertThat(props.correlationData()).containsExactly(0xCA, 0xFE);
        assertThat(props.userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(props.contentType()).isEqualTo("text");
        assertThat(props.subscriptionIdentifiers()).isEmpty();
    }

    @Test
    void publishQos2RetainDupEmptyPayload() {
        PublishPacket p = Wire.connectedV5().single(bytes(
                0x3D, 6,                                // PUBLISH: DUP, QoS 2, RETAIN; remaining length 6
                0x00, 0x01, 't',                        // topic "t"
                0x00, 0x09,                             // packet id 9
                0x00),                                  // properties length 0; empty payload
                PublishPacket.class);

        assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(p.dup()).isTrue();
        assertThat(p.retain()).isTrue();
        assertThat(p.packetId()).isEqualTo(9);
        assertThat(p.payload()).isEmpty();
    }

    @Test
    void mqtt311PublishHasNoProperties() {
        PublishPacket p = Wire.connectedV311().single(bytes(
                0x32, 8,                                // PUBLISH QoS 1, remaining length 8
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00, 0x07,                             // packet id 7
                0x00),                                  // payload: one zero byte (no properties in 3.1.1)
                PublishPacket.class);

        assertThat(p.packetId()).isEqualTo(7);
        assertThat(p.payload()).containsExactly(0);
        assertThat(p.properties()).isEqualTo(PublishProperties.NONE);
    }

    @Test
    void mqtt5SubscribeWithOptionsAndSubscriptionIdentifier() {
        SubscribePacket s = Wire.connectedV5().single(bytes(
                0x82, 22,                               // SUBSCRIBE (flags 0010), remaining length 22
                0x00, 0x0A,                             // packet id 10
                9,                                      // properties length 9
                0x0B, 0x07,                             //   subscription identifier 7
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   user property k=v
                0x00, 0x03, 'a', '/', '#',              // filter "a/#"
                0x2E,                                   //   options: retain handling 2, RAP, no local, QoS 2
                0x00, 0x01, '+',                        // filter "+"
                0x01),                                  //   options: QoS 1
                SubscribePacket.class);

        assertThat(s.packetId()).isEqualTo(10);
        assertThat(s.subscriptionIdentifier()).isEqualTo(7);
        assertThat(s.userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(s.subscriptions()).containsExactly(
                new SubscriptionRequest("a/#", QoS.EXACTLY_ONCE, true, true, 2),
                new SubscriptionRequest("+", QoS.AT_LEAST_ONCE, false, false, 0));
    }

    @Test
    void mqtt311Subscribe() {
        SubscribePacket s = Wire.connectedV311().single(bytes(
                0x82, 8,                                // SUBSCRIBE, remaining length 8
                0x00, 0x01,                             // packet id 1
                0x00, 0x03, 'a', '/', 'b',              // filter "a/b"
                0x01),                                  //   requested QoS 1
                SubscribePacket.class);

        assertThat(s.subscriptions()).containsExactly(new SubscriptionRequest("a/b", QoS.AT_LEAST_ONCE, false,
                false, 0));
        assertThat(s.subscriptionIdentifier()).isNull();
    }

    @Test
    void mqtt5Unsubscribe() {
        UnsubscribePacket u = Wire.connectedV5().single(bytes(
                0xA2, 8,                                // UNSUBSCRIBE (flags 0010), remaining length 8
                0x00, 0x0B,                             // packet id 11
                0x00,                                   // properties length 0
                0x00, 0x03, 'a', '/', 'b'),             // filter "a/b"
                UnsubscribePacket.class);

        assertThat(u.packetId()).isEqualTo(11);
        assertThat(u.topicFilters()).containsExactly("a/b");
    }

    @Test
    void mqtt5PubAckWithReasonCodeAndReasonString() {
        PubAckPacket a = Wire.connectedV5().single(bytes(
                0x40, 9,                                // PUBACK, remaining length 9
                0x00, 0x07,                             // packet id 7
                0x10,                                   // reason 0x10 no matching subscribers
                5,                                      // properties length 5
                0x1F, 0x00, 0x02, 'n', 'o'),            //   reason string "no"
                PubAckPacket.class);

        assertThat(a).isEqualTo(new PubAckPacket(7, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, "no"));
    }

    @Test
    void mqtt5ShortAcknowledgementsMeanSuccess() {
        Wire w = Wire.connectedV5();
        assertThat(w.single(bytes(
                0x50, 2,                                // PUBREC, remaining length 2
                0x00, 0x08),                            // packet id 8; reason omitted = success
                PubRecPacket.class)).isEqualTo(new PubRecPacket(8, PubRecReasonCode.SUCCESS));
        assertThat(w.single(bytes(
                0x70, 3,                                // PUBCOMP, remaining length 3
                0x00, 0x09,                             // packet id 9
                0x92),                                  // reason 0x92 packet identifier not found
                PubCompPacket.class)).isEqualTo(new PubCompPacket(9, PubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
    }

    @Test
    void mqtt311PubRel() {
        assertThat(Wire.connectedV311().single(bytes(
                0x62, 2,                                // PUBREL (flags 0010), remaining length 2
                0x00, 0x07),                            // packet id 7
                PubRelPacket.class)).isEqualTo(new PubRelPacket(7, PubRelReasonCode.SUCCESS));
    }

    @Test
    void pingReq() {
        assertThat(Wire.connectedV311().single(bytes(
                0xC0, 0),                               // PINGREQ, remaining length 0
                PingReqPacket.class)).isSameAs(PingReqPacket.INSTANCE);
    }

    @Test
    void mqtt5DisconnectWithWillAndSessionExpiry() {
        DisconnectPacket d = Wire.connectedV5().single(bytes(
                0xE0, 7,                                // DISCONNECT, remaining length 7
                0x04,                                   // reason 0x04 disconnect with will message
                5,                                      // properties length 5
                0x11, 0x00, 0x00, 0x00, 0x00),          //   session expiry interval 0
                DisconnectPacket.class);

        assertThat(d).isEqualTo(new DisconnectPacket(DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE, 0L, null,
                null));
    }

    @Test
    void mqtt311Disconnect() {
        assertThat(Wire.connectedV311().single(bytes(
                0xE0, 0),                               // DISCONNECT, remaining length 0
                DisconnectPacket.class)).isEqualTo(DisconnectPacket.of(DisconnectReasonCode.NORMAL_DISCONNECTION));
    }

    @Test
    void mqtt5Auth() {
        AuthPacket a = Wire.connectedV5().single(bytes(
                0xF0, 15,                               // AUTH, remaining length 15
                0x18,                                   // reason 0x18 continue authentication
                13,                                     // properties length 13
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', //   authentication method "SCRAM"
                0x16, 0x00, 0x02, 0x01, 0x02),          //   authentication data 01 02
                AuthPacket.class);

        assertThat(a.reasonCode()).isEqualTo(AuthReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(a.authenticationMethod()).isEqualTo("SCRAM");
        assertThat(a.authenticationData()).containsExactly(1, 2);
        assertThat(a.reasonString()).isNull();
    }
}
