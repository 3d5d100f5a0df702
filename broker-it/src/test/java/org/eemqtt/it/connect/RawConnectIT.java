package org.eemqtt.it.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONNECT, PINGREQ and DISCONNECT over a plain socket, checked byte by byte. */
@ExtendWith(BrokerExtension.class)
class RawConnectIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void mqtt31ConnectIsAcceptedAndPingAnswered(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 06 "MQIsdp" | 03 (level 3) | C2 (user, password, clean) | 00 1E (30 s) | id, guest, guest
            c.send(MqttPackets.connect31(Ids.clientId("raw31"), 30));
            // 20 02 | 00 no session present | 00 accepted
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            c.send(MqttPackets.PINGREQ); // C0 00
            c.expectBytes(MqttPackets.PINGRESP, WAIT); // D0 00
        }
    }

    @Test
    void mqtt311ConnectIsAcceptedAndPingAnswered(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" | 04 (level 4) | C2 | 00 1E | id, guest, guest
            c.send(MqttPackets.connect311(Ids.clientId("raw311"), 30));
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void mqtt5ConnackIsSuccessAndAnnouncesMaximumPacketSize(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" | 05 (level 5) | C2 | 00 1E | 00 (no properties) | id, guest, guest
            c.send(MqttPackets.connect5(Ids.clientId("raw5"), 30));
            Packet connack = c.readPacket(WAIT);
            assertThat(connack.type()).as("packet type of %s", connack).isEqualTo(Packet.CONNACK);
            assertThat(connack.sessionPresent()).isFalse();
            assertThat(connack.connackCode()).as("reason code of %s", connack).isZero();
            Map<Integer, Object> properties = connack.connack5Properties();
            // 0x27 Maximum Packet Size, four-byte integer: 00 10 00 00 = 1048576
            assertThat(properties).as("CONNACK properties of %s", connack).containsEntry(0x27, 1_048_576L);
            c.send(MqttPackets.PINGREQ);
            c.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void wrongPasswordMqtt311GetsReturnCode4AndClose(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 4, false, Ids.clientId("raw-badpw"), "guest", "wrong", 30, true));
            // 20 02 | 00 | 04 bad user name or password; then the server must close (MQTT-3.2.2-5)
            BadInput.assertAnswerThenClose(c, MqttPackets.CONNACK_BAD_CREDENTIALS, "3.1.1 CONNECT, wrong password");
        }
    }

    @Test
    void wrongPasswordMqtt31GetsReturnCode4AndClose(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQIsdp", 3, false, Ids.clientId("raw-badpw"), "guest", "wrong", 30, true));
            BadInput.assertAnswerThenClose(c, MqttPackets.CONNACK_BAD_CREDENTIALS, "3.1 CONNECT, wrong password");
        }
    }

    @Test
    void wrongPasswordMqtt5GetsReason0x86AndClose(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 5, true, Ids.clientId("raw-badpw"), "guest", "wrong", 30, true));
            Packet connack = c.readPacket(WAIT);
            assertThat(connack.type()).as("packet type of %s", connack).isEqualTo(Packet.CONNACK);
            // 0x86 Bad User Name or Password
            assertThat(connack.connackCode()).as("reason code of %s", connack).isEqualTo(0x86);
            BadInput.assertClosedSilently(c, "after the 5.0 CONNACK 0x86");
        }
    }

    @Test
    void disconnectEndsTheConnection(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-disc"), 30)) {
            c.send(MqttPackets.DISCONNECT); // E0 00
            BadInput.assertClosedSilently(c, "after DISCONNECT");
        }
    }

    @Test
    void keepAliveIsHonouredWhileTheClientPings(RunningBroker broker) {
        // Keep alive 1 s: the broker may close after 1.5 s of silence, but a PINGREQ every 0.5 s keeps it open.
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-ka"), 1)) {
            for (int i = 0; i < 8; i++) {
                Await.sleep(Duration.ofMillis(500));
                c.send(MqttPackets.PINGREQ);
                c.expectBytes(MqttPackets.PINGRESP, WAIT);
            }
        }
    }
}
