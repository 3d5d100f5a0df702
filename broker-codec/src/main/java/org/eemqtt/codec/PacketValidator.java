package org.eemqtt.codec;

import io.netty.buffer.ByteBuf;
import org.eemqtt.api.packet.MqttVersion;

import static org.eemqtt.codec.MalformedPacketException.malformed;
import static org.eemqtt.codec.MalformedPacketException.protocolError;

/**
 * Walks one whole client packet on its raw bytes, field by field, and finds what Netty's MqttDecoder lets pass:
 * ill-formed UTF-8 and U+0000 in any string, lengths that run past the packet or the property block, trailing
 * bytes, packet identifier 0, 5.0 properties that are unknown, not allowed in the packet, repeated or out of
 * range, unknown 5.0 reason codes, and the CONNECT and SUBSCRIBE flag rules. It is the one home of these checks;
 * {@link InboundPacketMapper} maps what passed.
 *
 * <p>One instance per connection (held by {@link MqttFrameDecoder}); it reads with absolute indexes and creates
 * objects only to describe a violation.
 */
final class PacketValidator {

    private static final String[] TYPE_NAMES = MqttFrameDecoder.TYPE_NAMES;

    private ByteBuf buf;
    private int pos;
    /** End of the region being read: the packet, or while reading properties, the property block. */
    private int end;
    private boolean inProperties;
    /** The packet is read as MQTT 5.0; the violation details cite the normative statement of this version. */
    private boolean v5;

    /**
     * @param firstByte the fixed header's first byte (type and flags, already checked by the frame decoder)
     * @param from      index of the first byte after the remaining length
     * @param length    the remaining length
     * @param version   the connection's version; a CONNECT is checked against the version it names itself
     * @return the violation, or null when the packet passed
     */
    MalformedPacketException check(ByteBuf buf, int firstByte, int from, int length, MqttVersion version) {
        this.buf = buf;
        this.pos = from;
        this.end = from + length;
        this.inProperties = false;
        this.v5 = version == MqttVersion.V5;
        int type = firstByte >> 4;
        try {
            switch (type) {
                case 1 -> connect();
                case 3 -> publish((firstByte >> 1) & 0x03);
                case 4, 5, 6, 7 -> acknowledgement(type);
                case 8 -> subscribe();
                case 10 -> unsubscribe();
                case 12 -> noTrailingBytes("PINGREQ");
                case 14, 15 -> disconnectOrAuth(type);
                default -> {
                    // CONNACK, SUBACK, UNSUBACK, PINGRESP: InboundPacketMapper refuses them as server-only.
                }
            }
            return null;
        } catch (MalformedPacketException e) {
            return e;
        } finally {
            this.buf = null;
        }
    }

    private void connect() {
        int nameLength = lengthPrefix("CONNECT", "protocol name");
        need(nameLength, "CONNECT", "protocol name");
        int nameAt = pos;
        pos += nameLength;
        int level = u8("CONNECT", "protocol level");
        MqttVersion version = version(nameAt, nameLength, level);
        if (version == null) {
            return; // a second CONNECT with a foreign protocol: the broker refuses any second CONNECT anyway
        }
        v5 = version == MqttVersion.V5;
        int flags = u8("CONNECT", "connect flags");
        if ((flags & 0x01) != 0 && version != MqttVersion.V3_1) {
            throw malformed("CONNECT reserved flag bit 0 is set (MQTT-3.1.2-3)");
        }
        boolean will = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        if (will && willQos == 3) {
            throw malformed("CONNECT will QoS 3 (" + (v5 ? "MQTT-3.1.2-12" : "MQTT-3.1.2-14") + ")");
        }
        if (!will && (willQos != 0 || willRetain)) {
            throw malformed("CONNECT will QoS " + willQos + ", will retain " + willRetain
                    + " without will flag (" + (v5 ? "MQTT-3.1.2-11, -13" : "MQTT-3.1.2-11, -13, -15") + ")");
        }
        boolean user = (flags & 0x80) != 0;
        boolean password = (flags & 0x40) != 0;
        if (!v5 && password && !user) {
            throw malformed("CONNECT password flag without user name flag (MQTT-3.1.2-22)");
        }
        u16("CONNECT", "keep alive");
        if (v5) {
            long seen = properties("CONNECT", PacketRules.CONNECT);
            if ((seen & (1L << PacketRules.AUTHENTICATION_DATA)) != 0
                    && (seen & (1L << PacketRules.AUTHENTICATION_METHOD)) == 0) {
                throw protocolError("CONNECT Authentication Data without Authentication Method (5.0 3.1.2.11.10)");
            }
        }
        utf8("CONNECT", "client identifier");
        if (will) {
            if (v5) {
                properties("CONNECT will", PacketRules.WILL);
            }
            utf8("CONNECT", "will topic");
            binary("CONNECT", "will payload");
        }
        if (user) {
            utf8("CONNECT", "user name");
        }
        if (password) {
            binary("CONNECT", "password");
        }
        noTrailingBytes("CONNECT");
    }

    private void publish(int qos) {
        utf8("PUBLISH", "topic name");
        if (qos > 0) {
            packetId("PUBLISH");
        }
        if (v5) {
            properties("PUBLISH", PacketRules.PUBLISH);
        }
        // the rest is the application message: opaque bytes
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: packet id; in 5.0 optionally a reason code and properties. */
    private void acknowledgement(int type) {
        String name = TYPE_NAMES[type];
        packetId(name);
        if (v5) {
            reasonCodeAndProperties(type, name, PacketRules.ACKNOWLEDGEMENT);
        }
        noTrailingBytes(name);
    }

    /** DISCONNECT (3.x: nothing; 5.0: optional reason code and properties) and AUTH (5.0 only). */
    private void disconnectOrAuth(int type) {
        String name = TYPE_NAMES[type];
        if (v5) {
            reasonCodeAndProperties(type, name, type == 14 ? PacketRules.DISCONNECT : PacketRules.AUTH);
        }
        noTrailingBytes(name);
    }

    /** The optional 5.0 tail: a reason code (omitted = 0x00), then properties (omitted = none). */
    private void reasonCodeAndProperties(int type, String name, long allowed) {
        if (pos == end) {
            return;
        }
        int code = u8(name, "reason code");
        if (!PacketRules.isReasonCode(type, code)) {
            throw malformed(name + " reason code 0x" + hex(code) + " is not defined for " + name);
        }
        if (pos < end) {
            properties(name, allowed);
        }
    }

    private void subscribe() {
        packetId("SUBSCRIBE");
        if (v5) {
            properties("SUBSCRIBE", PacketRules.SUBSCRIBE);
        }
        if (pos == end) {
            throw protocolError("SUBSCRIBE without topic filter (" + (v5 ? "MQTT-3.8.3-2" : "MQTT-3.8.3-3") + ")");
        }
        for (int n = 1; pos < end; n++) {
            if (utf8("SUBSCRIBE", "topic filter") == 0) {
                throw malformed("SUBSCRIBE topic filter " + n + " is empty (MQTT-4.7.3-1)");
            }
            int options = u8("SUBSCRIBE", "subscription options");
            if (!v5 && (options & 0xFC) != 0) {
                throw malformed("SUBSCRIBE reserved option bits set in 0x" + hex(options) + " of topic filter " + n
                        + " (MQTT-3-8.3-4)");
            }
            if (v5 && (options & 0xC0) != 0) {
                throw malformed("SUBSCRIBE reserved option bits 6-7 set in 0x" + hex(options)
                        + " of topic filter " + n + " (MQTT-3.8.3-5)");
            }
            if ((options & 0x03) == 3) {
                // 3.1.1 counts QoS 3 among the malformed options (MQTT-3-8.3-4, so numbered in the spec);
                // 5.0 3.8.3.1 calls it a Protocol Error.
                String detail = "SUBSCRIBE requested QoS 3 for topic filter " + n;
                throw v5 ? protocolError(detail) : malformed(detail + " (MQTT-3-8.3-4)");
            }
            if (v5 && (options & 0x30) == 0x30) {
                throw protocolError("SUBSCRIBE Retain Handling 3 for topic filter " + n + " (5.0 3.8.3.1)");
            }
        }
    }

    private void unsubscribe() {
        packetId("UNSUBSCRIBE");
        if (v5) {
            properties("UNSUBSCRIBE", PacketRules.UNSUBSCRIBE);
        }
        if (pos == end) {
            throw protocolError("UNSUBSCRIBE without topic filter (MQTT-3.10.3-2)");
        }
        for (int n = 1; pos < end; n++) {
            if (utf8("UNSUBSCRIBE", "topic filter") == 0) {
                throw malformed("UNSUBSCRIBE topic filter " + n + " is empty (MQTT-4.7.3-1)");
            }
        }
    }

    /**
     * A 5.0 property block: its length, then identifier/value pairs that must stay inside it.
     *
     * @return the identifiers seen, as a bit mask
     */
    private long properties(String where, long allowed) {
        int length = variableByteInteger(where, "property length");
        if (length > end - pos) {
            throw malformed(where + " property length " + length + " exceeds the packet by "
                    + (length - (end - pos)) + " bytes");
        }
        int packetEnd = end;
        end = pos + length;
        inProperties = true;
        long seen = 0;
        while (pos < end) {
            int id = u8(where, "property identifier");
            int type = PacketRules.type(id);
            if (type == 0) {
                throw malformed(where + " has unknown property identifier 0x" + hex(id));
            }
            long bit = 1L << id;
            if ((allowed & bit) == 0) {
                throw protocolError(PacketRules.name(id) + " (0x" + hex(id) + ") is not allowed in " + where
                        + (id == PacketRules.SUBSCRIPTION_IDENTIFIER && where.equals("PUBLISH")
                        ? " from a client (MQTT-3.3.4-6)" : ""));
            }
            if ((seen & bit) != 0 && id != PacketRules.USER_PROPERTY) {
                throw protocolError(where + " includes " + PacketRules.name(id) + " more than once");
            }
            seen |= bit;
            value(where, id, type);
        }
        end = packetEnd;
        inProperties = false;
        return seen;
    }

    private void value(String where, int id, int type) {
        String name = PacketRules.name(id);
        switch (type) {
            case PacketRules.BYTE -> {
                int v = u8(where, name);
                if (v > 1 && (id == PacketRules.PAYLOAD_FORMAT_INDICATOR
                        || id == PacketRules.REQUEST_PROBLEM_INFORMATION
                        || id == PacketRules.REQUEST_RESPONSE_INFORMATION)) {
                    throw protocolError(where + " " + name + " must be 0 or 1, got " + v);
                }
            }
            case PacketRules.TWO_BYTE_INTEGER -> {
                if (u16(where, name) == 0 && id == PacketRules.RECEIVE_MAXIMUM) {
                    throw protocolError(where + " Receive Maximum 0 (5.0 3.1.2.11.3)");
                }
            }
            case PacketRules.FOUR_BYTE_INTEGER -> {
                need(4, where, name);
                long v = buf.getUnsignedInt(pos);
                pos += 4;
                if (v == 0 && id == PacketRules.MAXIMUM_PACKET_SIZE) {
                    throw protocolError(where + " Maximum Packet Size 0 (5.0 3.1.2.11.4)");
                }
            }
            case PacketRules.VARIABLE_BYTE_INTEGER -> {
                if (variableByteInteger(where, name) == 0 && id == PacketRules.SUBSCRIPTION_IDENTIFIER) {
                    throw protocolError(where + " Subscription Identifier 0 (5.0 3.8.2.1.2)");
                }
            }
            case PacketRules.UTF8_STRING -> utf8(where, name);
            case PacketRules.BINARY_DATA -> binary(where, name);
            default -> {
                utf8(where, "User Property name");
                utf8(where, "User Property value");
            }
        }
    }

    // ---- primitive fields ----

    private void packetId(String where) {
        if (u16(where, "packet identifier") == 0) {
            throw malformed(where + " packet identifier 0 (" + (v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1") + ")");
        }
    }

    /** A length-prefixed UTF-8 string; returns its length in bytes. */
    private int utf8(String where, String field) {
        int length = lengthPrefix(where, field);
        need(length, where, field);
        String problem = Utf8.problem(buf, pos, length);
        if (problem != null) {
            throw malformed(where + " " + field + " is not a valid MQTT UTF-8 string: " + problem);
        }
        pos += length;
        return length;
    }

    private void binary(String where, String field) {
        int length = lengthPrefix(where, field);
        need(length, where, field);
        pos += length;
    }

    /** The 2-byte length in front of a string or binary field; the label is only built for the error. */
    private int lengthPrefix(String where, String field) {
        if (2 > end - pos) {
            need(2, where, field + " length");
        }
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    private int u8(String where, String field) {
        need(1, where, field);
        return buf.getUnsignedByte(pos++);
    }

    private int u16(String where, String field) {
        need(2, where, field);
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    /** 1 to 4 bytes, 7 bits each, minimally encoded (MQTT-1.5.5-1). */
    private int variableByteInteger(String where, String field) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = u8(where, field);
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                if (digit == 0 && i > 0) {
                    throw malformed(where + " " + field + " not minimally encoded (MQTT-1.5.5-1)");
                }
                return value;
            }
        }
        throw malformed(where + " " + field + " longer than 4 bytes");
    }

    private void need(int bytes, String where, String field) {
        if (bytes > end - pos) {
            throw malformed(where + " " + field + " needs " + bytes + " bytes but only " + (end - pos)
                    + " remain in the " + (inProperties ? "property block" : "packet"));
        }
    }

    private void noTrailingBytes(String where) {
        if (pos != end) {
            throw malformed(where + " has " + (end - pos) + " bytes after its last field");
        }
    }

    /** The version a CONNECT names, compared on the bytes; null for other names and levels. */
    private MqttVersion version(int nameAt, int nameLength, int level) {
        if (level == 3 && is(nameAt, nameLength, "MQIsdp")) {
            return MqttVersion.V3_1;
        }
        if ((level == 4 || level == 5) && is(nameAt, nameLength, "MQTT")) {
            return level == 4 ? MqttVersion.V3_1_1 : MqttVersion.V5;
        }
        return null;
    }

    private boolean is(int at, int length, String ascii) {
        if (length != ascii.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(at + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }
}
