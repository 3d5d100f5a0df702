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
 * The maximum packet size (mqtt.max.packet.size, default 1 MiB = 1048576 bytes, the whole packet counted as in
 * MQTT 5.0 section 3.1.2.11.4). A packet at the limit is accepted; one above it closes the connection, in 5.0 with
 * DISCONNECT 0x95 (Packet too large) first.
 */
@ExtendWith(BrokerExtension.class)
class PacketSizeIT {

    private static final int MAX_PACKET_SIZE = 1_048_576;
    private static final int PACKET_TOO_LARGE = 0x95;

    @AfterEach
    void brokerStillServes(RunningBroker broker) {
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void publishOfExactlyTheMaximumSizeIsAccepted(RunningBroker broker) {
        String topic = Ids.topicRoot("size-limit");
        // 1 byte first byte + 3 bytes remaining length (values up to 2097151) + body = 1048576 bytes in all.
        int remaining = MAX_PACKET_SIZE - 1 - 3;
        int payloadLength = remaining - (2 + topic.length()) - 2; // minus topic string and packet id
        byte[] packet = MqttPackets.publish(topic, 1, 77, new byte[payloadLength], false);
        if (packet.length != MAX_PACKET_SIZE) {
            throw new IllegalStateException("test packet has " + packet.length + " bytes");
        }
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("size-ok"), 60)) {
            c.send(packet);
            c.expectBytes(Hex.bytes("40 02 00 4D"), Duration.ofSeconds(30)); // PUBACK, packet id 77
        }
    }

    @Test
    void publishAboveTheMaximumClosesMqtt311(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("size-big"), 60)) {
            sendInBackground(c, oversizedPublish(false));
            BadInput.assertClosedSilently(c, "PUBLISH of " + (MAX_PACKET_SIZE + 1024) + " bytes (3.1.1)");
        }
    }

    @Test
    void publishAboveTheMaximumGetsDisconnectPacketTooLargeMqtt5(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("size-big5"), 60)) {
            sendInBackground(c, oversizedPublish(true));
            // E0 LL | 95 packet too large [| properties]
            BadInput.assertDisconnectThenClose(c, PACKET_TOO_LARGE, "PUBLISH of about 1 MiB + 1 KiB (5.0)");
        }
    }

    /** A QoS 1 PUBLISH whose whole size is 1 KiB above the maximum. */
    private static byte[] oversizedPublish(boolean v5) {
        String topic = Ids.topicRoot("size-over");
        int remaining = MAX_PACKET_SIZE + 1024 - 1 - 3;
        int payloadLength = remaining - (2 + topic.length()) - 2 - (v5 ? 1 : 0);
        return MqttPackets.publish(topic, 1, 78, new byte[payloadLength], v5);
    }

    /**
     * Writes from another thread: the broker may stop reading (and close) after the fixed header, and a blocked
     * write must not keep the test from reading the answer. Write errors are expected then and ignored.
     */
    private static void sendInBackground(RawConnection c, byte[] packet) {
        Thread writer = new Thread(() -> {
            int chunk = 64 * 1024;
            for (int pos = 0; pos < packet.length; pos += chunk) {
                byte[] part = java.util.Arrays.copyOfRange(packet, pos, Math.min(packet.length, pos + chunk));
                c.sendQuietly(part);
            }
        }, "oversized-writer");
        writer.setDaemon(true);
        writer.start();
    }
}
