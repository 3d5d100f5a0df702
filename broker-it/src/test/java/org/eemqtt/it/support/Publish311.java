package org.eemqtt.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A PUBLISH the broker sent to a 3.1.1 raw connection, taken apart: first byte 0x30 | DUP 0x08 | QoS << 1 |
 * RETAIN 0x01, topic (2-byte length + UTF-8), packet id (QoS 1 and 2 only), payload (the rest).
 */
public record Publish311(int firstByte, String topic, int packetId, String payload) {

    /** Parses the packet, failing with its bytes when it is not a PUBLISH. */
    public static Publish311 of(Packet packet) {
        if (packet.type() != Packet.PUBLISH) {
            throw new AssertionError("Expected a PUBLISH, got " + packet);
        }
        byte[] body = packet.body();
        int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
        int pos = 2 + topicLength;
        int qos = (packet.firstByte() >> 1) & 0x03;
        int packetId = 0;
        if (qos > 0) {
            packetId = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
            pos += 2;
        }
        String payload = new String(Arrays.copyOfRange(body, pos, body.length), StandardCharsets.UTF_8);
        return new Publish311(packet.firstByte(), topic, packetId, payload);
    }

    /** Reads the next packet from the connection and parses it as a PUBLISH. */
    public static Publish311 read(RawConnection connection, java.time.Duration timeout) {
        return of(connection.readPacket(timeout));
    }

    public int qos() {
        return (firstByte >> 1) & 0x03;
    }

    public boolean dup() {
        return (firstByte & 0x08) != 0;
    }

    public boolean retain() {
        return (firstByte & 0x01) != 0;
    }

    /** A 3.1.1 PUBLISH with the RETAIN bit set: the plain one of {@link MqttPackets#publish} | 0x01. */
    public static byte[] retained(String topic, int qos, int packetId, String payload) {
        byte[] packet = MqttPackets.publish(topic, qos, packetId, payload.getBytes(StandardCharsets.UTF_8), false);
        packet[0] |= 0x01;
        return packet;
    }

    /** The same PUBLISH marked as a retransmission: DUP bit 0x08 set. */
    public static byte[] withDup(byte[] publish) {
        byte[] copy = publish.clone();
        copy[0] |= 0x08;
        return copy;
    }
}
