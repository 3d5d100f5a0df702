package org.eemqtt.codec;

import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelReasonCode;

import java.util.function.IntFunction;

/**
 * The MQTT 5.0 tables {@link PacketValidator} checks against: property identifiers with their value types
 * (5.0 2.2.2.2, table 2-4), which properties a client may put in each packet, and the reason codes each packet
 * kind defines. Everything is a bit mask or an array lookup, so checks allocate nothing.
 */
final class PacketRules {

    static final int BYTE = 1;
    static final int TWO_BYTE_INTEGER = 2;
    static final int FOUR_BYTE_INTEGER = 3;
    static final int VARIABLE_BYTE_INTEGER = 4;
    static final int UTF8_STRING = 5;
    static final int BINARY_DATA = 6;
    static final int UTF8_STRING_PAIR = 7;

    static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int AUTHENTICATION_DATA = 0x16;
    static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    static final int REQUEST_RESPONSE_INFORMATION = 0x19;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;

    /** Value type per identifier; 0 = not a property identifier (ids are below 0x80, so one byte). */
    private static final int[] TYPES = new int[0x80];
    private static final String[] NAMES = new String[0x80];

    static {
        define(0x01, BYTE, "Payload Format Indicator");
        define(0x02, FOUR_BYTE_INTEGER, "Message Expiry Interval");
        define(0x03, UTF8_STRING, "Content Type");
        define(0x08, UTF8_STRING, "Response Topic");
        define(0x09, BINARY_DATA, "Correlation Data");
        define(0x0B, VARIABLE_BYTE_INTEGER, "Subscription Identifier");
        define(0x11, FOUR_BYTE_INTEGER, "Session Expiry Interval");
        define(0x12, UTF8_STRING, "Assigned Client Identifier");
        define(0x13, TWO_BYTE_INTEGER, "Server Keep Alive");
        define(0x15, UTF8_STRING, "Authentication Method");
        define(0x16, BINARY_DATA, "Authentication Data");
        define(0x17, BYTE, "Request Problem Information");
        define(0x18, FOUR_BYTE_INTEGER, "Will Delay Interval");
        define(0x19, BYTE, "Request Response Information");
        define(0x1A, UTF8_STRING, "Response Information");
        define(0x1C, UTF8_STRING, "Server Reference");
        define(0x1F, UTF8_STRING, "Reason String");
        define(0x21, TWO_BYTE_INTEGER, "Receive Maximum");
        define(0x22, TWO_BYTE_INTEGER, "Topic Alias Maximum");
        define(0x23, TWO_BYTE_INTEGER, "Topic Alias");
        define(0x24, BYTE, "Maximum QoS");
        define(0x25, BYTE, "Retain Available");
        define(0x26, UTF8_STRING_PAIR, "User Property");
        define(0x27, FOUR_BYTE_INTEGER, "Maximum Packet Size");
        define(0x28, BYTE, "Wildcard Subscription Available");
        define(0x29, BYTE, "Subscription Identifier Available");
        define(0x2A, BYTE, "Shared Subscription Available");
    }

    // What a client may send (table 2-4 without the server-only properties). Subscription Identifier is left out
    // of PUBLISH: a client must not send it there (MQTT-3.3.4-6).
    static final long CONNECT = mask(0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x26, 0x15, 0x16);
    /** Will Properties in the CONNECT payload (5.0 3.1.3.2). */
    static final long WILL = mask(0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26);
    static final long PUBLISH = mask(0x01, 0x02, 0x23, 0x08, 0x09, 0x26, 0x03);
    /** PUBACK, PUBREC, PUBREL, PUBCOMP. */
    static final long ACKNOWLEDGEMENT = mask(0x1F, 0x26);
    static final long SUBSCRIBE = mask(0x0B, 0x26);
    static final long UNSUBSCRIBE = mask(0x26);
    static final long DISCONNECT = mask(0x11, 0x1F, 0x26, 0x1C);
    static final long AUTH = mask(0x15, 0x16, 0x1F, 0x26);

    /** Defined reason codes per packet type (index = type), from the broker-api enums. */
    private static final boolean[][] REASON_CODES = new boolean[16][];

    static {
        REASON_CODES[4] = codes(PubAckReasonCode::of);
        REASON_CODES[5] = codes(PubRecReasonCode::of);
        REASON_CODES[6] = codes(PubRelReasonCode::of);
        REASON_CODES[7] = codes(PubCompReasonCode::of);
        REASON_CODES[14] = codes(DisconnectReasonCode::of);
        REASON_CODES[15] = codes(AuthReasonCode::of);
    }

    private PacketRules() {
    }

    /** The value type of a property identifier, 0 when the identifier is unknown. */
    static int type(int id) {
        return id < TYPES.length ? TYPES[id] : 0;
    }

    static String name(int id) {
        return NAMES[id];
    }

    /** Whether {@code code} is a reason code of packet {@code type} (PUBACK..PUBCOMP, DISCONNECT, AUTH). */
    static boolean isReasonCode(int type, int code) {
        return REASON_CODES[type][code];
    }

    private static void define(int id, int type, String name) {
        TYPES[id] = type;
        NAMES[id] = name;
    }

    private static long mask(int... ids) {
        long m = 0;
        for (int id : ids) {
            m |= 1L << id;
        }
        return m;
    }

    private static boolean[] codes(IntFunction<?> of) {
        boolean[] defined = new boolean[256];
        for (int c = 0; c < 256; c++) {
            defined[c] = of.apply(c) != null;
        }
        return defined;
    }
}
