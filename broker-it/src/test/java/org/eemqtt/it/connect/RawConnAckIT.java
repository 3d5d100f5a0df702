package org.eemqtt.it.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONNACK and the life of a connection, byte by byte: CONNACK first and once, its reserved bits, the client ids the
 * broker must accept, PINGRESP and keep-alive for 5.0, and the DISCONNECT the broker sends on a takeover (MQTT 3.1.1
 * 3.1-3.2, MQTT 5.0 3.1-3.2, 3.12, 3.14).
 */
@ExtendWith(BrokerExtension.class)
class RawConnAckIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void mqtt311ConnAckComesFirstThenThePipelinedPacketsAreAnswered(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // CONNECT, SUBSCRIBE and PINGREQ in one write, before any answer
            c.send(Hex.concat(MqttPackets.connect311(Ids.clientId("pipe311"), 30),
                    MqttPackets.subscribe(5, Ids.topicRoot("pipe311"), 1, false), MqttPackets.PINGREQ));
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            c.expectBytes(Hex.bytes("90 03 00 05 01"), WAIT);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void mqtt5ConnAckComesFirstAndOnlyOnce(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(Hex.concat(MqttPackets.connect5(Ids.clientId("pipe5"), 30),
                    MqttPackets.subscribe(6, Ids.topicRoot("pipe5"), 1, true), MqttPackets.PINGREQ,
                    MqttPackets.PINGREQ));
            List<Packet> packets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                packets.add(c.readPacket(WAIT));
            }
            assertThat(packets).extracting(Packet::type)
                    .containsExactly(Packet.CONNACK, Packet.SUBACK, Packet.PINGRESP, Packet.PINGRESP);
            assertThat(packets.get(0).connackCode()).isZero();
            // no Reason String (0x1F) or User Property (0x26) that could take it beyond a Maximum Packet Size
            assertThat(packets.get(0).connack5Properties()).doesNotContainKeys(0x1F, 0x26);
            c.send(MqttPackets.PINGREQ);
            assertThat(c.readPacket(WAIT).type()).as("no second CONNACK").isEqualTo(Packet.PINGRESP);
        }
    }

    @Test
    void mqtt5ConnAckReservedFlagBitsAreZero(RunningBroker broker) {
        String id = Ids.clientId("ack-flags");
        // Session Expiry Interval 60 s, so that the second CONNACK has bit 0 (Session Present) set
        byte[] expiry = {0x11, 0, 0, 0, 60};
        for (int flags : new int[] {0xC2, 0xC0}) {
            try (RawConnection c = RawConnection.open(broker)) {
                c.send(MqttPackets.packet(0x10, MqttPackets.utf8("MQTT"), new byte[] {5, (byte) flags},
                        MqttPackets.u16(30), Raw5.properties(expiry), MqttPackets.utf8(id),
                        MqttPackets.utf8(MqttPackets.GUEST), MqttPackets.utf8(MqttPackets.GUEST)));
                Packet connAck = c.readPacket(WAIT);
                assertThat(connAck.connackCode()).isZero();
                assertThat(connAck.sessionPresent()).isEqualTo(flags == 0xC0);
                assertThat(connAck.body()[0] & 0xFE).as("bits 7-1 of the acknowledge flags in %s", connAck)
                        .isZero();
                c.send(MqttPackets.DISCONNECT); // the session stays for its 60 s
            }
        }
    }

    @Test
    void mqtt311ClientIdOf23LettersAndDigitsIsAccepted(RunningBroker broker) {
        String id = ("Az09" + Ids.suffix() + "bY7" + Ids.suffix()).substring(0, 23);
        assertThat(id).hasSize(23).matches("[0-9a-zA-Z]+");
        try (RawConnection c = RawConnection.connected311(broker, id, 30)) {
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void mqtt5ClientIdOf23LettersAndDigitsIsAccepted(RunningBroker broker) {
        String id = ("Zz98" + Ids.suffix() + "aB1" + Ids.suffix()).substring(0, 23);
        try (RawConnection c = RawConnection.connected5(broker, id, 30)) {
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void mqtt5PingReqIsAnsweredWithPingResp(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("ping5"), 30)) {
            for (int i = 0; i < 3; i++) {
                c.send(MqttPackets.PINGREQ);
                c.expectBytes(MqttPackets.PINGRESP, WAIT); // D0 00
            }
        }
    }

    @Test
    void mqtt5SilentClientIsClosedAfterOneAndAHalfKeepAlives(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("silent5"), 1)) {
            c.assertStaysOpenSilently(Duration.ofMillis(800));
            RawConnection.Closed closed = c.awaitClose(Duration.ofMillis(4_200));
            // the close may come with DISCONNECT 0x8D Keep Alive timeout, nothing else
            List<Packet> before = Packet.parseAll(closed.bytesBeforeClose());
            assertThat(before).as("sent before the close: %s", Hex.of(closed.bytesBeforeClose()))
                    .allMatch(p -> p.type() == Packet.DISCONNECT && p.disconnectReason() == 0x8D);
        }
    }

    @Test
    void takenOverConnectionGetsOneDisconnectWithoutSessionExpiryAndIsClosed(RunningBroker broker) {
        String id = Ids.clientId("takeover5");
        try (RawConnection first = RawConnection.connected5(broker, id, 30);
             RawConnection second = RawConnection.connected5(broker, id, 30)) {
            RawConnection.Closed closed = first.awaitClose(WAIT);
            List<Packet> packets = Packet.parseAll(closed.bytesBeforeClose());
            // exactly one packet (nothing after the DISCONNECT), then the close (MQTT-3.14.4-1, -2)
            assertThat(packets).as("sent to the old connection").hasSize(1);
            Packet disconnect = packets.get(0);
            assertThat(disconnect.type()).isEqualTo(Packet.DISCONNECT);
            assertThat(disconnect.disconnectReason()).isEqualTo(0x8E);
            assertThat(disconnectPropertyIds(disconnect)).as("properties of %s", disconnect)
                    .doesNotContain(0x11); // MQTT-3.14.2-2: no Session Expiry Interval from the server
            second.send(MqttPackets.PINGREQ);
            second.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    /** The property identifiers of a 5.0 DISCONNECT: reason code, property length, then the properties. */
    private static List<Integer> disconnectPropertyIds(Packet disconnect) {
        byte[] b = disconnect.body();
        List<Integer> ids = new ArrayList<>();
        if (b.length < 2) {
            return ids;
        }
        int length = 0;
        int multiplier = 1;
        int pos = 1;
        int digit;
        do {
            digit = b[pos++] & 0xFF;
            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        int end = pos + length;
        while (pos < end) {
            int id = b[pos++] & 0xFF;
            ids.add(id);
            switch (id) {
                case 0x11 -> pos += 4;
                case 0x1F, 0x1C -> pos += 2 + (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
                case 0x26 -> {
                    pos += 2 + (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
                    pos += 2 + (((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF));
                }
                default -> throw new AssertionError("property 0x" + Integer.toHexString(id)
                        + " is not allowed in DISCONNECT: " + disconnect);
            }
        }
        return ids;
    }
}
