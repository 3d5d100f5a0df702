package org.eemqtt.it.badinput;

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
 * Reserved fixed-header flags of the packets a client sends after CONNECT (UNSUBSCRIBE, PUBREL, DISCONNECT, AUTH,
 * and PUBLISH with both QoS bits set):
 * any other value is malformed, the connection is closed (3.1.1 silently, 5.0 after DISCONNECT 0x81), and the
 * broker goes on serving others.
 */
@ExtendWith(BrokerExtension.class)
class RawReservedFlagsIT {

    private static final int MALFORMED_PACKET = 0x81;

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void unsubscribeWithFlags0Mqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("unsubf"), 30)) {
            byte[] unsubscribe = MqttPackets.unsubscribe(1, Ids.topicRoot("unsubf"), false);
            unsubscribe[0] = (byte) 0xA0; // flags 0000 instead of 0010 (MQTT-3.10.1-1)
            c.sendQuietly(unsubscribe);
            BadInput.assertClosedSilently(c, "UNSUBSCRIBE with first byte A0 (3.1.1)");
        }
    }

    @Test
    void unsubscribeWithFlags0Mqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("unsubf5"), 30)) {
            byte[] unsubscribe = MqttPackets.unsubscribe(1, Ids.topicRoot("unsubf5"), true);
            unsubscribe[0] = (byte) 0xA0;
            c.sendQuietly(unsubscribe);
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "UNSUBSCRIBE with first byte A0 (5.0)");
        }
    }

    @Test
    void pubRelWithFlags0Mqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("pubrelf"), 30)) {
            c.send(MqttPackets.publish(Ids.topicRoot("pubrelf"), 2, 3, new byte[] {1}, false));
            c.expectBytes(Hex.bytes("50 02 00 03"), BadInput.CLOSE_WITHIN);
            c.sendQuietly(Hex.bytes("60 02 00 03")); // PUBREL with flags 0000 instead of 0010 (MQTT-3.6.1-1)
            BadInput.assertClosedSilently(c, "PUBREL with first byte 60 (3.1.1)");
        }
    }

    @Test
    void pubRelWithFlags0Mqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("pubrelf5"), 30)) {
            c.sendQuietly(Hex.bytes("60 02 00 03"));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBREL with first byte 60 (5.0)");
        }
    }

    @Test
    void disconnectWithAReservedFlagMqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("discf"), 30)) {
            c.sendQuietly(Hex.bytes("E2 00")); // DISCONNECT with flags 0010 instead of 0000 (MQTT-3.14.1-1)
            BadInput.assertClosedSilently(c, "DISCONNECT E2 00 (3.1.1)");
        }
    }

    @Test
    void disconnectWithAReservedFlagMqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("discf5"), 30)) {
            c.sendQuietly(Hex.bytes("E2 00"));
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "DISCONNECT E2 00 (5.0)");
        }
    }

    @Test
    void authWithAReservedFlagGetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("authf5"), 30)) {
            c.sendQuietly(Hex.bytes("F1 00")); // AUTH with flags 0001 instead of 0000 (MQTT-3.15.1-1)
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "AUTH F1 00 (5.0)");
        }
    }

    @Test
    void publishWithQos3Mqtt311IsClosed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("qos3"), 30)) {
            byte[] publish = MqttPackets.publish(Ids.topicRoot("qos3"), 2, 1, new byte[] {1}, false);
            publish[0] = 0x36; // QoS bits 11 (MQTT-3.3.1-4)
            c.sendQuietly(publish);
            BadInput.assertClosedSilently(c, "PUBLISH with QoS 3 (3.1.1)");
        }
    }

    @Test
    void publishWithQos3Mqtt5GetsDisconnectMalformed(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("qos3-5"), 30)) {
            byte[] publish = MqttPackets.publish(Ids.topicRoot("qos3-5"), 2, 1, new byte[] {1}, true);
            publish[0] = 0x36;
            c.sendQuietly(publish);
            BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBLISH with QoS 3 (5.0)");
        }
    }
}
