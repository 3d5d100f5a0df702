package org.eemqtt.it.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Enhanced authentication byte by byte: what client libraries will not send (AUTH with another method, AUTH 0x19
 * before CONNACK, AUTH without a method in CONNECT, no answer at all) is answered as MQTT 5.0 requires, and the
 * broker keeps serving others.
 */
@ExtendWith(BrokerExtension.class)
class RawEnhancedAuthIT {

    private static final String SCRAM = "SCRAM-SHA-256";
    private static final int AUTH = 15;
    private static final int CONTINUE_AUTHENTICATION = 0x18;
    private static final int RE_AUTHENTICATE = 0x19;
    private static final int PROTOCOL_ERROR = 0x82;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    /** Binary data / UTF-8 string: 2-byte length, then the bytes. */
    private static byte[] binary(byte[] data) {
        return Hex.concat(MqttPackets.u16(data.length), data);
    }

    /** 0x15 Authentication Method (UTF-8 string), 0x16 Authentication Data (binary), preceded by their length. */
    private static byte[] authProperties(String method, byte[] data) {
        byte[] props = Hex.concat(new byte[] {0x15}, MqttPackets.utf8(method), new byte[] {0x16}, binary(data));
        return Hex.concat(MqttPackets.varInt(props.length), props);
    }

    /**
     * 5.0 CONNECT: "MQTT", level 5, flags 02 (clean start, no user name or password), keep alive 30, properties
     * with the method and the client-first-message, payload = client id.
     */
    private static byte[] connect(String clientId, String method, byte[] data) {
        return MqttPackets.packet(0x10, MqttPackets.utf8("MQTT"), new byte[] {5, 0x02}, MqttPackets.u16(30),
                authProperties(method, data), MqttPackets.utf8(clientId));
    }

    /** AUTH: first byte F0 (type 15, flags 0000), reason code, properties (method, data). */
    private static byte[] auth(int reasonCode, String method, byte[] data) {
        return MqttPackets.packet(0xF0, new byte[] {(byte) reasonCode}, authProperties(method, data));
    }

    /** The Authentication Data (0x16) of an AUTH from the broker, after checking reason 0x18 and method 0x15. */
    private static byte[] challengeData(Packet packet, int expectedReason) {
        assertThat(packet.type()).as("AUTH expected: %s", packet).isEqualTo(AUTH);
        byte[] body = packet.body();
        assertThat(body[0] & 0xFF).as("AUTH reason code").isEqualTo(expectedReason);
        int pos = 1; // after the reason code: property length (variable byte integer), then the properties
        while ((body[pos++] & 0x80) != 0) {
            // continuation bytes of the property length
        }
        String method = null;
        byte[] data = null;
        List<Integer> ids = new ArrayList<>();
        while (pos < body.length) {
            int id = body[pos++];
            ids.add(id);
            int len = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
            byte[] value = Arrays.copyOfRange(body, pos + 2, pos + 2 + len);
            pos += 2 + len;
            if (id == 0x15) {
                method = new String(value, StandardCharsets.UTF_8);
            } else if (id == 0x16) {
                data = value;
            }
        }
        assertThat(method).as("MQTT-4.12.0-5: AUTH carries the CONNECT's method").isEqualTo(SCRAM);
        assertThat(data).as("Authentication Data").isNotNull();
        // MQTT-3.15.2-2: no Reason String or User Property that could take the AUTH beyond a Maximum Packet Size
        assertThat(ids).as("property identifiers of %s", packet).containsOnly(0x15, 0x16);
        return data;
    }

    /** Opens a connection and sends CONNECT with the SCRAM client-first-message; returns after the challenge. */
    private static byte[] challenged(RawConnection c, ScramClient scram) {
        c.send(connect(Ids.clientId("raw-scram"), SCRAM, scram.clientFirst()));
        return challengeData(c.readPacket(WAIT), CONTINUE_AUTHENTICATION); // MQTT-4.12.0-2
    }

    /**
     * An error before CONNACK: CONNACK 0x82 and the close, never DISCONNECT, which the broker may send only after a
     * successful CONNACK (MQTT-3.14.0-1).
     */
    private static void assertRefusedWithProtocolError(RawConnection c, String situation) {
        RawConnection.Closed closed = c.awaitClose(BadInput.CLOSE_WITHIN);
        List<Packet> packets = Packet.parseAll(closed.bytesBeforeClose());
        assertThat(packets).as("%s: sent before the close", situation).hasSize(1);
        assertThat(packets.get(0).type()).as("%s: %s", situation, packets.get(0)).isEqualTo(Packet.CONNACK);
        assertThat(packets.get(0).connackCode()).as("%s: %s", situation, packets.get(0)).isEqualTo(PROTOCOL_ERROR);
        assertThat(packets.get(0).sessionPresent()).isFalse();
    }

    /** A complete SCRAM login as guest/guest; returns the CONNACK. */
    private static Packet loggedIn(RawConnection c, ScramClient scram) {
        byte[] serverFirst = challenged(c, scram);
        c.send(auth(CONTINUE_AUTHENTICATION, SCRAM, scram.clientFinal(serverFirst)));
        Packet connAck = c.readPacket(WAIT);
        assertThat(connAck.connackCode()).as("CONNACK reason code, %s", connAck).isZero();
        return connAck;
    }

    @Test
    void scramExchangeEndsInConnAckWithMethodAndServerFinal(RunningBroker broker) {
        ScramClient scram = new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST);
        try (RawConnection c = RawConnection.open(broker)) {
            Map<Integer, Object> properties = loggedIn(c, scram).connack5Properties();
            assertThat(properties.get(0x15)).isEqualTo(SCRAM);
            assertThat(scram.serverFinalValid((byte[]) properties.get(0x16))).as("server-final-message").isTrue();
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void unsupportedMethodGetsConnAck0x8C(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(connect(Ids.clientId("raw-meth"), "GS2-KRB5", new byte[] {1, 2, 3}));
            // 20 CONNACK, 03 remaining length, 00 no session, 8C bad authentication method, 00 no properties
            BadInput.assertAnswerThenClose(c, Hex.bytes("20 03 00 8C 00"), "unsupported method (MQTT-4.12.0-1)");
        }
    }

    @Test
    void authWithAnotherMethodBeforeConnAckGetsConnAckProtocolError(RunningBroker broker) {
        ScramClient scram = new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST);
        try (RawConnection c = RawConnection.open(broker)) {
            byte[] serverFirst = challenged(c, scram);
            c.sendQuietly(auth(CONTINUE_AUTHENTICATION, "SCRAM-SHA-1", scram.clientFinal(serverFirst)));
            assertRefusedWithProtocolError(c, "AUTH with another method (MQTT-4.12.0-5)");
        }
    }

    @Test
    void reauthenticateBeforeConnAckGetsConnAckProtocolError(RunningBroker broker) {
        ScramClient scram = new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST);
        try (RawConnection c = RawConnection.open(broker)) {
            challenged(c, scram);
            c.sendQuietly(auth(RE_AUTHENTICATE, SCRAM, scram.clientFirst()));
            assertRefusedWithProtocolError(c, "AUTH 0x19 before CONNACK (MQTT-4.12.0-3)");
        }
    }

    @Test
    void publishBeforeConnAckGetsConnAckProtocolError(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            challenged(c, new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST));
            c.sendQuietly(MqttPackets.publish("a/b", 0, 0, new byte[] {1}, true));
            assertRefusedWithProtocolError(c, "PUBLISH during authentication (MQTT-3.1.2-30)");
        }
    }

    @Test
    void noAnswerToTheChallengeIsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            challenged(c, new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST));
            // the shared broker's mqtt.connect.timeout (3 s) bounds the wait for the answer
            BadInput.assertClosedSilently(c, "no answer to the SCRAM challenge");
        }
    }

    @Test
    void authAfterAConnectWithoutMethodGetsDisconnectProtocolError(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("raw-noauth"), 30)) {
            c.sendQuietly(auth(RE_AUTHENTICATE, SCRAM, new ScramClient("guest", "guest").clientFirst()));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "AUTH without a method in CONNECT (MQTT-4.12.0-7)");
        }
    }

    @Test
    void reauthenticationWithAnotherMethodGetsDisconnectProtocolError(RunningBroker broker) {
        ScramClient scram = new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST);
        try (RawConnection c = RawConnection.open(broker)) {
            loggedIn(c, scram);
            c.sendQuietly(auth(RE_AUTHENTICATE, "SCRAM-SHA-512", scram.clientFirst()));
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "re-authentication with another method "
                    + "(MQTT-4.12.1-1)");
        }
    }

    @Test
    void failedReauthenticationGetsDisconnectNotAuthorized(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            loggedIn(c, new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST));
            ScramClient wrong = new ScramClient(MqttPackets.GUEST, "not-guest");
            c.send(auth(RE_AUTHENTICATE, SCRAM, wrong.clientFirst()));
            byte[] serverFirst = challengeData(c.readPacket(WAIT), CONTINUE_AUTHENTICATION);
            c.sendQuietly(auth(CONTINUE_AUTHENTICATION, SCRAM, wrong.clientFinal(serverFirst)));
            BadInput.assertDisconnectThenClose(c, 0x87, "wrong proof at re-authentication (MQTT-4.12.1-2)");
        }
    }

    @Test
    void reauthenticationEndsInAuthSuccess(RunningBroker broker) {
        ScramClient scram = new ScramClient(MqttPackets.GUEST, MqttPackets.GUEST);
        try (RawConnection c = RawConnection.open(broker)) {
            loggedIn(c, scram);
            c.send(auth(RE_AUTHENTICATE, SCRAM, scram.clientFirst()));
            byte[] serverFirst = challengeData(c.readPacket(WAIT), CONTINUE_AUTHENTICATION);
            c.send(MqttPackets.PINGREQ); // the connection keeps working during re-authentication
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
            c.send(auth(CONTINUE_AUTHENTICATION, SCRAM, scram.clientFinal(serverFirst)));
            byte[] serverFinal = challengeData(c.readPacket(WAIT), 0x00);
            assertThat(scram.serverFinalValid(serverFinal)).isTrue();
        }
    }
}
