package org.eemqtt.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builders for raw MQTT packets, byte by byte, for the socket-level tests. Each builder documents the layout it
 * writes; the spec sections are MQTT 3.1.1 (OASIS 2014) section 3 and MQTT 5.0 (OASIS 2019) section 3.
 */
public final class MqttPackets {

    /** PINGREQ: type 12 in the high nibble, flags 0 -> C0; remaining length 0. */
    public static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    /** PINGRESP: type 13 -> D0; remaining length 0. */
    public static final byte[] PINGRESP = {(byte) 0xD0, 0x00};
    /** DISCONNECT (3.x, or 5.0 with reason 0x00 left out): type 14 -> E0; remaining length 0. */
    public static final byte[] DISCONNECT = {(byte) 0xE0, 0x00};
    /** 3.x CONNACK accepted: 20 = CONNACK, 02 = remaining length, 00 = no session present, 00 = accepted. */
    public static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};
    /** 3.x CONNACK "unacceptable protocol version": 20 02, 00 = flags, 01 = return code 1. */
    public static final byte[] CONNACK_BAD_PROTOCOL_VERSION = {0x20, 0x02, 0x00, 0x01};
    /** 3.x CONNACK "bad user name or password": 20 02, 00 = flags, 04 = return code 4. */
    public static final byte[] CONNACK_BAD_CREDENTIALS = {0x20, 0x02, 0x00, 0x04};
    /** 5.0 CONNACK "unsupported protocol version": 20, 03 = remaining length, 00 flags, 84 reason, 00 no props. */
    public static final byte[] CONNACK5_UNSUPPORTED_PROTOCOL_VERSION = {0x20, 0x03, 0x00, (byte) 0x84, 0x00};

    public static final String GUEST = "guest";

    private MqttPackets() {
    }

    /** Variable byte integer (spec 1.5.5 / 2.2.3): 7 bits per byte, high bit = "more bytes follow". */
    public static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int v = value;
        do {
            int digit = v % 128;
            v /= 128;
            if (v > 0) {
                digit |= 0x80;
            }
            out.write(digit);
        } while (v > 0);
        return out.toByteArray();
    }

    /** UTF-8 string: 2-byte big-endian length, then the bytes. */
    public static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Hex.concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
    }

    /** 2-byte big-endian integer (packet identifiers, keep alive). */
    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    /** A whole packet: first byte (type << 4 | flags), remaining length, then the body. */
    public static byte[] packet(int firstByte, byte[]... body) {
        byte[] b = Hex.concat(body);
        return Hex.concat(new byte[] {(byte) firstByte}, varInt(b.length), b);
    }

    /**
     * CONNECT (first byte 0x10). Variable header: protocol name (UTF-8 string), protocol level (1 byte), connect
     * flags (1 byte: 0x80 user name, 0x40 password, 0x02 clean session / clean start), keep alive (2 bytes), and
     * for 5.0 a property length (0 = no properties). Payload: client id, user name, password (UTF-8 strings).
     *
     * @param v5Layout write the 5.0 property length byte after keep alive (use with level 5)
     */
    public static byte[] connect(String protocolName, int level, boolean v5Layout, String clientId, String user,
                                 String password, int keepAliveSeconds, boolean clean) {
        int flags = (clean ? 0x02 : 0) | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(protocolName));
        body.write(level);
        body.write(flags);
        body.writeBytes(u16(keepAliveSeconds));
        if (v5Layout) {
            body.write(0x00); // property length 0
        }
        body.writeBytes(utf8(clientId));
        if (user != null) {
            body.writeBytes(utf8(user));
        }
        if (password != null) {
            body.writeBytes(utf8(password));
        }
        return packet(0x10, body.toByteArray());
    }

    /** MQTT 3.1.1 CONNECT: protocol name "MQTT", level 4, guest/guest, clean session. */
    public static byte[] connect311(String clientId, int keepAliveSeconds) {
        return connect("MQTT", 4, false, clientId, GUEST, GUEST, keepAliveSeconds, true);
    }

    /** MQTT 3.1 CONNECT: protocol name "MQIsdp", level 3, guest/guest, clean session. */
    public static byte[] connect31(String clientId, int keepAliveSeconds) {
        return connect("MQIsdp", 3, false, clientId, GUEST, GUEST, keepAliveSeconds, true);
    }

    /** MQTT 5.0 CONNECT: protocol name "MQTT", level 5, no properties, guest/guest, clean start. */
    public static byte[] connect5(String clientId, int keepAliveSeconds) {
        return connect("MQTT", 5, true, clientId, GUEST, GUEST, keepAliveSeconds, true);
    }

    /**
     * SUBSCRIBE with an explicit first byte (0x82 is the only valid one: type 8, reserved flags 0010). Variable
     * header: packet id (2 bytes) [+ 5.0 property length 0]. Payload: topic filter + options byte (max QoS).
     */
    public static byte[] subscribe(int firstByte, int packetId, String filter, int qos, boolean v5) {
        return packet(firstByte, u16(packetId), v5 ? new byte[] {0x00} : new byte[0], utf8(filter),
                new byte[] {(byte) qos});
    }

    public static byte[] subscribe(int packetId, String filter, int qos, boolean v5) {
        return subscribe(0x82, packetId, filter, qos, v5);
    }

    /** UNSUBSCRIBE: first byte A2 (type 10, flags 0010), packet id [+ 5.0 property length 0], topic filter. */
    public static byte[] unsubscribe(int packetId, String filter, boolean v5) {
        return packet(0xA2, u16(packetId), v5 ? new byte[] {0x00} : new byte[0], utf8(filter));
    }

    /**
     * PUBLISH: first byte 0x30 | QoS << 1. Variable header: topic name, packet id (QoS > 0 only)
     * [+ 5.0 property length 0]. Payload: the application message, no length prefix.
     */
    public static byte[] publish(String topic, int qos, int packetId, byte[] payload, boolean v5) {
        return packet(0x30 | (qos << 1), utf8(topic), qos > 0 ? u16(packetId) : new byte[0],
                v5 ? new byte[] {0x00} : new byte[0], payload);
    }

    /** PUBACK (3.x layout; 5.0 may omit reason 0x00): 40 02 + packet id. */
    public static byte[] puback(int packetId) {
        return packet(0x40, u16(packetId));
    }

    /** PUBREL: 62 (type 6, reserved flags 0010), 02, packet id. */
    public static byte[] pubrel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    /** A UTF-8 string field written from raw bytes, which need not be valid UTF-8: 2-byte length, the bytes. */
    public static byte[] utf8Bytes(byte[] encoded) {
        return Hex.concat(u16(encoded.length), encoded);
    }

    /** A 5.0 property block (spec 2.2.2): property length as a variable byte integer, then the properties. */
    public static byte[] properties(byte[]... properties) {
        byte[] all = Hex.concat(properties);
        return Hex.concat(varInt(all.length), all);
    }

    /**
     * MQTT 5.0 CONNECT with properties: "MQTT", level 5, flags C2 (user name, password, clean start), keep alive,
     * the given property block (see {@link #properties}), client id, guest/guest.
     */
    public static byte[] connect5(String clientId, int keepAliveSeconds, byte[] propertyBlock) {
        return packet(0x10, utf8("MQTT"), new byte[] {0x05, (byte) 0xC2}, u16(keepAliveSeconds), propertyBlock,
                utf8(clientId), utf8(GUEST), utf8(GUEST));
    }
}
