package org.eemqtt.it.support;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One MQTT packet as read from a raw socket: the first byte and the body after the remaining length. */
public record Packet(int firstByte, byte[] body, byte[] raw) {

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    /** Splits bytes received from the broker into packets; fails when they end in the middle of a packet. */
    public static java.util.List<Packet> parseAll(byte[] bytes) {
        java.util.List<Packet> packets = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            int start = pos;
            int first = bytes[pos++] & 0xFF;
            int length = 0;
            int multiplier = 1;
            int b;
            do {
                if (pos >= bytes.length) {
                    throw new AssertionError("Truncated packet in " + Hex.of(bytes));
                }
                b = bytes[pos++] & 0xFF;
                length += (b & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            if (pos + length > bytes.length) {
                throw new AssertionError("Truncated packet in " + Hex.of(bytes));
            }
            byte[] body = java.util.Arrays.copyOfRange(bytes, pos, pos + length);
            pos += length;
            packets.add(new Packet(first, body, java.util.Arrays.copyOfRange(bytes, start, pos)));
        }
        return packets;
    }

    public int type() {
        return (firstByte >> 4) & 0x0F;
    }

    public int flags() {
        return firstByte & 0x0F;
    }

    /** CONNACK: bit 0 of the acknowledge flags. */
    public boolean sessionPresent() {
        requireType(CONNACK);
        return (body[0] & 0x01) != 0;
    }

    /** CONNACK return code (3.x) / reason code (5.0): the second body byte. */
    public int connackCode() {
        requireType(CONNACK);
        return body[1] & 0xFF;
    }

    /** 5.0 DISCONNECT reason code; a DISCONNECT without body means 0x00 (normal disconnection). */
    public int disconnectReason() {
        requireType(DISCONNECT);
        return body.length == 0 ? 0 : body[0] & 0xFF;
    }

    /** Packet identifier of an acknowledgement (PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK). */
    public int packetId() {
        return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    /**
     * The properties of a 5.0 CONNACK, by identifier. Byte/two-byte/four-byte integers become Integer (Long for
     * four bytes), strings become String, binary data byte[], user properties "key=value" strings.
     */
    public Map<Integer, Object> connack5Properties() {
        requireType(CONNACK);
        int[] pos = {2};
        int length = readVarInt(pos);
        int end = pos[0] + length;
        Map<Integer, Object> props = new LinkedHashMap<>();
        while (pos[0] < end) {
            int id = body[pos[0]++] & 0xFF;
            Object value = switch (id) {
                case 0x24, 0x25, 0x28, 0x29, 0x2A -> body[pos[0]++] & 0xFF;
                case 0x21, 0x22, 0x13 -> readInt(pos, 2);
                case 0x11, 0x27 -> (long) readInt(pos, 4) & 0xFFFFFFFFL;
                case 0x12, 0x1F, 0x1A, 0x1C, 0x15 -> readString(pos);
                case 0x16 -> readBinary(pos);
                case 0x26 -> readString(pos) + "=" + readString(pos);
                default -> throw new AssertionError("Unknown CONNACK property 0x" + Integer.toHexString(id)
                        + " in " + Hex.of(raw));
            };
            props.put(id, value);
        }
        return props;
    }

    private int readVarInt(int[] pos) {
        int value = 0;
        int multiplier = 1;
        int b;
        do {
            b = body[pos[0]++] & 0xFF;
            value += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        return value;
    }

    private int readInt(int[] pos, int bytes) {
        int v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (body[pos[0]++] & 0xFF);
        }
        return v;
    }

    private String readString(int[] pos) {
        return new String(readBinary(pos), StandardCharsets.UTF_8);
    }

    private byte[] readBinary(int[] pos) {
        int len = readInt(pos, 2);
        byte[] b = java.util.Arrays.copyOfRange(body, pos[0], pos[0] + len);
        pos[0] += len;
        return b;
    }

    private void requireType(int expected) {
        if (type() != expected) {
            throw new AssertionError("Expected packet type " + expected + " but got " + Hex.of(raw));
        }
    }

    @Override
    public String toString() {
        return "Packet[type " + type() + ", " + Hex.of(raw) + "]";
    }
}
