package org.eemqtt.it.malformed;

import static org.eemqtt.it.support.MqttPackets.packet;
import static org.eemqtt.it.support.MqttPackets.properties;
import static org.eemqtt.it.support.MqttPackets.u16;
import static org.eemqtt.it.support.MqttPackets.utf8;

import java.nio.charset.StandardCharsets;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT 5.0 properties from a client (5.0 2.2.2): an unknown identifier or a property block that does not fit is a
 * Malformed Packet (DISCONNECT 0x81); a property the packet may not carry, or one included twice, is a Protocol
 * Error (DISCONNECT 0x82; in CONNECT: CONNACK 0x82). A fresh client is served afterwards.
 */
@ExtendWith(BrokerExtension.class)
class MalformedPropertyIT {

    private static final int MALFORMED_PACKET = 0x81;
    private static final int PROTOCOL_ERROR = 0x82;
    /** CONNACK 20 03 | 00 no session | 82 protocol error | 00 no properties. */
    private static final byte[] CONNACK_PROTOCOL_ERROR = Hex.bytes("20 03 00 82 00");

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    /** PUBLISH QoS 0 to a fresh topic with the given property block and payload "x". */
    private static byte[] publishWith(byte[] propertyBlock) {
        return packet(0x30, utf8(Ids.topicRoot("props")), propertyBlock, "x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void duplicatePropertyGetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("dup-prop"), 30)) {
            // 02 00 00 00 3C message expiry 60, twice: "It is a Protocol Error to include ... more than once"
            c.sendQuietly(publishWith(properties(Hex.bytes("02 00 00 00 3C"), Hex.bytes("02 00 00 00 3C"))));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "Message Expiry Interval twice in PUBLISH");
        }
    }

    @Test
    void repeatedUserPropertiesAreAllowed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("dup-user"), 30)) {
            // 26 00 01 6B 00 01 31 user property k=1, then k=2: User Property may appear more than once
            c.send(MqttPackets.packet(0x32, utf8(Ids.topicRoot("dup-user")), u16(5),
                    properties(Hex.bytes("26 00 01 6B 00 01 31"), Hex.bytes("26 00 01 6B 00 01 32")),
                    "x".getBytes(StandardCharsets.UTF_8)));
            // 40 LL 00 05 ...: the PUBACK for packet id 5 (reason 0x10 no subscribers may follow)
            byte[] pubAck = c.readBytes(4, BadInput.CLOSE_WITHIN);
            if (pubAck[0] != 0x40 || pubAck[2] != 0x00 || pubAck[3] != 0x05) {
                throw new AssertionError("expected PUBACK for packet id 5, got " + Hex.of(pubAck));
            }
        }
    }

    @Test
    void propertyNotAllowedInPublishGetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("bad-prop"), 30)) {
            // 11 00 00 00 0A session expiry interval: CONNECT/CONNACK/DISCONNECT only
            c.sendQuietly(publishWith(properties(Hex.bytes("11 00 00 00 0A"))));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "Session Expiry Interval in PUBLISH");
        }
    }

    @Test
    void subscriptionIdentifierFromClientInPublishGetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("subid-pub"), 30)) {
            c.sendQuietly(publishWith(properties(Hex.bytes("0B 01")))); // subscription identifier 1 (MQTT-3.3.4-6)
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "Subscription Identifier in a client's PUBLISH");
        }
    }

    @Test
    void propertyNotAllowedInSubscribeGetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("bad-sprop"), 30)) {
            // 82 LL | 00 01 packet id | 03 23 00 01 topic alias 1 (PUBLISH only) | filter | 00 QoS 0
            c.sendQuietly(packet(0x82, u16(1), properties(Hex.bytes("23 00 01")), utf8(Ids.topicRoot("bad-sprop")),
                    new byte[] {0x00}));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "Topic Alias in SUBSCRIBE");
        }
    }

    @Test
    void topicAlias0IsLeftToTheBrokerWhichAnswers0x94(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("alias0"), 30)) {
            // 23 00 00 topic alias 0: well-formed, but no alias is valid here (MQTT-3.3.2-8; CONNACK announced no
            // Topic Alias Maximum), so the broker's DISCONNECT 0x94 Topic Alias invalid, not a codec 0x82
            c.sendQuietly(publishWith(properties(Hex.bytes("23 00 00"))));
            BadInput.assertDisconnectThenClose(c, 0x94, "Topic Alias 0");
        }
    }

    @Test
    void unknownPropertyIdentifierGetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("unk-prop"), 30)) {
            c.sendQuietly(publishWith(properties(Hex.bytes("04 00")))); // 0x04 is not a property identifier
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "property identifier 0x04");
        }
    }

    @Test
    void propertyLengthBeyondThePacketGetsDisconnect0x81(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("len-prop"), 30)) {
            // 30 LL | topic | 10 property length 16, but only 01 01 (payload format indicator 1) follows
            c.sendQuietly(packet(0x30, utf8(Ids.topicRoot("len-prop")), Hex.bytes("10 01 01")));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "property length beyond the packet");
        }
    }

    @Test
    void subscriptionIdentifierZeroGetsDisconnect0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("subid0"), 30)) {
            // 82 LL | 00 01 packet id | 02 0B 00 subscription identifier 0 | filter | 00 QoS 0
            c.sendQuietly(packet(0x82, u16(1), properties(Hex.bytes("0B 00")), utf8(Ids.topicRoot("subid0")),
                    new byte[] {0x00}));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "Subscription Identifier 0");
        }
    }

    @Test
    void connectWithPropertyNotAllowedGetsConnAck0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // CONNECT properties: 01 01 payload format indicator, a PUBLISH / will property
            c.sendQuietly(MqttPackets.connect5(Ids.clientId("conn-prop"), 30, properties(Hex.bytes("01 01"))));
            BadInput.assertAnswerThenClose(c, CONNACK_PROTOCOL_ERROR, "Payload Format Indicator in CONNECT");
        }
    }

    @Test
    void connectWithDuplicatePropertyGetsConnAck0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 21 00 0A receive maximum 10, twice
            c.sendQuietly(MqttPackets.connect5(Ids.clientId("conn-dup"), 30,
                    properties(Hex.bytes("21 00 0A"), Hex.bytes("21 00 0A"))));
            BadInput.assertAnswerThenClose(c, CONNACK_PROTOCOL_ERROR, "Receive Maximum twice in CONNECT");
        }
    }

    @Test
    void connectWithRequestProblemInformation2GetsConnAck0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 17 02 request problem information 2: only 0 and 1 are allowed
            c.sendQuietly(MqttPackets.connect5(Ids.clientId("conn-rpi"), 30, properties(Hex.bytes("17 02"))));
            BadInput.assertAnswerThenClose(c, CONNACK_PROTOCOL_ERROR, "Request Problem Information 2");
        }
    }

    @Test
    void connectWithMaximumPacketSize0GetsConnAck0x82(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 27 00 00 00 00 maximum packet size 0
            c.sendQuietly(MqttPackets.connect5(Ids.clientId("conn-mps"), 30,
                    properties(Hex.bytes("27 00 00 00 00"))));
            BadInput.assertAnswerThenClose(c, CONNACK_PROTOCOL_ERROR, "Maximum Packet Size 0");
        }
    }
}
