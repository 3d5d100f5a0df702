package org.eemqtt.it.badinput;

import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input before or instead of a valid CONNECT. Each connection must be answered as specified and closed, and
 * after each test a fresh well-behaved client must still be served.
 */
@ExtendWith(BrokerExtension.class)
class RawBadConnectIT {

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void bytesThatAreNotMqttAreClosedWithoutAnswer(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 47 45 54 20 ... "GET / HTTP/1.1": 0x47 would be a PUBACK with reserved flags 7, not a CONNECT
            c.sendQuietly("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BadInput.assertClosedSilently(c, "HTTP request instead of MQTT");
        }
    }

    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {6, 7})
    void unknownProtocolLevelGetsReturnCode1AndClose(int level, RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTT" | level 6 or 7 | C2 | 00 1E | id, guest, guest (3.1.1 layout)
            c.sendQuietly(MqttPackets.connect("MQTT", level, false, Ids.clientId("raw-lvl"), "guest", "guest", 30,
                    true));
            // 20 02 | 00 | 01 unacceptable protocol version
            BadInput.assertAnswerThenClose(c, MqttPackets.CONNACK_BAD_PROTOCOL_VERSION,
                    "CONNECT \"MQTT\" level " + level);
        }
    }

    @Test
    void unknownProtocolNameWithLevel5GetsReason0x84AndClose(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTX" | 05 | C2 | 00 1E | 00 no properties | id, guest, guest
            c.sendQuietly(MqttPackets.connect("MQTX", 5, true, Ids.clientId("raw-name5"), "guest", "guest", 30,
                    true));
            // 20 03 | 00 | 84 unsupported protocol version | 00 no properties
            BadInput.assertAnswerThenClose(c, MqttPackets.CONNACK5_UNSUPPORTED_PROTOCOL_VERSION,
                    "CONNECT \"MQTX\" level 5");
        }
    }

    @Test
    void unknownProtocolNameWithLevel4GetsReturnCode1AndClose(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 LL | 00 04 "MQTX" | 04 | C2 | 00 1E | id, guest, guest
            c.sendQuietly(MqttPackets.connect("MQTX", 4, false, Ids.clientId("raw-name4"), "guest", "guest", 30,
                    true));
            BadInput.assertAnswerThenClose(c, MqttPackets.CONNACK_BAD_PROTOCOL_VERSION, "CONNECT \"MQTX\" level 4");
        }
    }

    @Test
    void pingreqAsFirstPacketIsClosedWithoutAnswer(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.sendQuietly(MqttPackets.PINGREQ); // C0 00 before any CONNECT (MQTT-3.1.0-1)
            BadInput.assertClosedSilently(c, "PINGREQ as the first packet");
        }
    }

    @Test
    void subscribeAsFirstPacketIsClosedWithoutAnswer(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            c.sendQuietly(MqttPackets.subscribe(1, "a/b", 0, false)); // 82 08 00 01 00 03 61 2F 62 00
            BadInput.assertClosedSilently(c, "SUBSCRIBE as the first packet");
        }
    }

    @Test
    void connectionWithoutConnectIsClosedAfterTheConnectTimeout(RunningBroker broker) {
        // The shared broker runs with mqtt.connect.timeout=3 (BrokerExtension.CONNECT_TIMEOUT_SECONDS).
        try (RawConnection c = RawConnection.open(broker)) {
            // Not closed at once: still open and silent after 1 s (a third of the timeout).
            c.assertStaysOpenSilently(Duration.ofSeconds(1));
            // Closed after 3 s; awaitClose allows 10 s more than the 1 s already waited.
            BadInput.assertClosedSilently(c, "no CONNECT within mqtt.connect.timeout");
        }
    }

    @Test
    void truncatedConnectFollowedBySilenceIsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.open(broker)) {
            // 10 20 announces 32 bytes, only 00 04 "MQTT" 04 follow: an incomplete CONNECT, then nothing.
            c.sendQuietly(Hex.bytes("10 20 00 04 4D 51 54 54 04"));
            BadInput.assertClosedSilently(c, "incomplete CONNECT and no further bytes");
        }
    }
}
