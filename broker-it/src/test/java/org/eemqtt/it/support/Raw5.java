package org.eemqtt.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MQTT 5.0 packets with properties, written and read byte by byte, for what client libraries hide (topic aliases on
 * the wire, receive windows, exact reason codes).
 */
public final class Raw5 {

    /** Property identifiers (MQTT 5.0 2.2.2.2). */
    public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    public static final int RECEIVE_MAXIMUM = 0x21;
    public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    public static final int TOPIC_ALIAS = 0x23;

    private Raw5() {
    }

    /** A property list: its variable-byte-integer length followed by the properties. */
    public static byte[] properties(byte[]... properties) {
        byte[] body = Hex.concat(properties);
        return Hex.concat(MqttPackets.varInt(body.length), body);
    }

    /** A two-byte-integer property, e.g. Receive Maximum. */
    public static byte[] u16Property(int id, int value) {
        return Hex.concat(new byte[] {(byte) id}, MqttPackets.u16(value));
    }

    public static byte[] byteProperty(int id, int value) {
        return new byte[] {(byte) id, (byte) value};
    }

    /** 5.0 CONNECT as guest/guest, clean start, keep-alive 30, with the given CONNECT properties. */
    public static byte[] connect(String clientId, byte[]... properties) {
        return MqttPackets.packet(0x10, MqttPackets.utf8("MQTT"), new byte[] {5, (byte) 0xC2},
                MqttPackets.u16(30), properties(properties), MqttPackets.utf8(clientId),
                MqttPackets.utf8(MqttPackets.GUEST), MqttPackets.utf8(MqttPackets.GUEST));
    }

    /** Opens a connection, sends {@link #connect} and checks for a successful CONNACK. */
    public static RawConnection connected(RunningBroker broker, String clientId, byte[]... properties) {
        RawConnection c = RawConnection.open(broker);
        c.send(connect(clientId, properties));
        Packet connAck = c.readPacket(Duration.ofSeconds(10));
        if (connAck.type() != Packet.CONNACK || connAck.connackCode() != 0) {
            c.close();
            throw new AssertionError("CONNECT of " + clientId + " failed: " + connAck);
        }
        return c;
    }

    /** PUBLISH with properties: 0x30 | QoS << 1, topic, [packet id], properties, payload. */
    public static byte[] publish(String topic, int qos, int packetId, byte[] payload, byte[]... properties) {
        return MqttPackets.packet(0x30 | (qos << 1), MqttPackets.utf8(topic),
                qos > 0 ? MqttPackets.u16(packetId) : new byte[0], properties(properties), payload);
    }

    /** A PUBLISH as received from the broker, its properties by identifier (last value wins). */
    public record Publish(String topic, int qos, int packetId, Map<Integer, Object> properties, byte[] payload) {

        public Integer topicAlias() {
            return (Integer) properties.get(TOPIC_ALIAS);
        }

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Parses a 5.0 PUBLISH read with {@link RawConnection#readPacket}. */
    public static Publish parsePublish(Packet packet) {
        if (packet.type() != Packet.PUBLISH) {
            throw new AssertionError("expected PUBLISH, got " + packet);
        }
        byte[] b = packet.body();
        int qos = (packet.firstByte() >> 1) & 3;
        int pos = 0;
        int topicLength = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        String topic = new String(b, pos, topicLength, StandardCharsets.UTF_8);
        pos += topicLength;
        int packetId = 0;
        if (qos > 0) {
            packetId = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
        }
        int[] cursor = {pos};
        int propertiesLength = varInt(b, cursor);
        int end = cursor[0] + propertiesLength;
        Map<Integer, Object> properties = new LinkedHashMap<>();
        int p = cursor[0];
        while (p < end) {
            int id = b[p++] & 0xFF;
            switch (id) {
                case PAYLOAD_FORMAT_INDICATOR -> properties.put(id, b[p++] & 0xFF);
                case TOPIC_ALIAS -> {
                    properties.put(id, ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF));
                    p += 2;
                }
                case 0x02 -> { // message expiry interval
                    properties.put(id, ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16)
                            | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF));
                    p += 4;
                }
                case 0x0B -> { // subscription identifier
                    int[] c = {p};
                    properties.put(id, varInt(b, c));
                    p = c[0];
                }
                default -> { // strings, binary data and user properties: skip what the tests here don't read
                    int length = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                    p += 2 + length;
                    if (id == 0x26) {
                        int valueLength = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                        p += 2 + valueLength;
                    }
                }
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(b, end, b.length - end);
        return new Publish(topic, qos, packetId, properties, payload.toByteArray());
    }

    private static int varInt(byte[] b, int[] cursor) {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = b[cursor[0]++] & 0xFF;
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return value;
    }
}
