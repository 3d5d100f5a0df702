package org.eemqtt.it.badinput;

import java.time.Duration;
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
 * Protocol violations after a successful CONNECT. 3.x: the connection is closed without an answer. 5.0: a
 * DISCONNECT with the reason code comes first. After each test a fresh client must still be served.
 */
@ExtendWith(BrokerExtension.class)
class RawProtocolViolationIT {

    /** 5.0 reason codes of DISCONNECT. */
    private static final int MALFORMED_PACKET = 0x81;
    private static final int PROTOCOL_ERROR = 0x82;

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void secondConnectMqtt311IsClosed(RunningBroker broker) {
        String id = Ids.clientId("raw-2nd");
        try (RawConnection c = RawConnection.connected311(broker, id, 30)) {
            c.sendQuietly(MqttPackets.connect311(id, 30)); // MQTT-3.1.0-2: a second CONNECT is a violation
            BadInput.assertClosedSilently(c, "second CONNECT (3.1.1)");
        }
    }

    @Test
    void secondConnectMqtt5GetsDisconnectProtocolError(RunningBroker broker) {
        String id = Ids.clientId("raw-2nd5");
        try (RawConnection c = RawConnection.connected5(broker, id, 30)) {
            c.sendQuietly(MqttPackets.connect5(id, 30));
            // E0 LL | 82 protocol error [| properties]
            BadInput.assertDisconnectThenClose(c, PROTOCOL_ERROR, "second CONNECT (5.0)");
        }
    }

    @Test
    void pingreqWithReservedFlagBitMqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-flags"), 30)) {
            c.sendQuietly(Hex.bytes("C1 00")); // PINGREQ with reserved flag bit 0 set: malformed (MQTT-2.2.2-2)
            BadInput.assertClosedSilently(c, "PINGREQ C1 00 (3.1.1)");
        }
    }

    @Test
    void pingreqWithReservedFlagBitMqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("raw-flags5"), 30)) {
            c.sendQuietly(Hex.bytes("C1 00"));
            // E0 LL | 81 malformed packet [| properties]
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PINGREQ C1 00 (5.0)");
        }
    }

    @Test
    void subscribeWithFlags0Mqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-subf"), 30)) {
            // 80 instead of 82: SUBSCRIBE with reserved flags 0000 instead of 0010 (MQTT-3.8.1-1), no SUBACK
            c.sendQuietly(MqttPackets.subscribe(0x80, 1, Ids.topicRoot("raw-subf"), 1, false));
            BadInput.assertClosedSilently(c, "SUBSCRIBE with first byte 80 (3.1.1)");
        }
    }

    @Test
    void subscribeWithFlags0Mqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("raw-subf5"), 30)) {
            c.sendQuietly(MqttPackets.subscribe(0x80, 1, Ids.topicRoot("raw-subf5"), 1, true));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "SUBSCRIBE with first byte 80 (5.0)");
        }
    }

    @Test
    void silentClientIsClosedAfterOneAndAHalfKeepAlives(RunningBroker broker) {
        // CONNECT with keep alive 1 s (bytes 9-10 of the variable header: 00 01), then silence.
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("raw-silent"), 1)) {
            // Not before the keep alive has passed: still open and silent at 0.8 s.
            c.assertStaysOpenSilently(Duration.ofMillis(800));
            // The broker must close at 1.5 s; allow up to 5 s after the CONNACK in total.
            RawConnection.Closed closed = c.awaitClose(Duration.ofMillis(4_200));
            if (closed.bytesBeforeClose().length != 0) {
                throw new AssertionError("keep alive expiry: expected a silent close (3.1.1), but the broker sent "
                        + Hex.of(closed.bytesBeforeClose()));
            }
        }
    }
}
