package org.eemqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Checks MQTT UTF-8 strings in place on the received bytes: well-formed UTF-8 as RFC 3629 / Unicode table 3-7
 * define it (no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF) and no U+0000
 * (3.1.1 MQTT-1.5.3-1, MQTT-1.5.3-2; 5.0 MQTT-1.5.4-1, MQTT-1.5.4-2). Netty's decoder would instead turn bad
 * sequences into U+FFFD. Nothing is allocated unless a problem is found.
 */
final class Utf8 {

    /** Stops at U+0000 and at every non-ASCII byte (negative as a signed byte): both need a closer look. */
    private static final ByteProcessor PLAIN_ASCII = b -> b > 0;

    private Utf8() {
    }

    /**
     * @return null when {@code length} bytes at {@code from} are a valid MQTT UTF-8 string, else what is wrong and
     *         where (offset within the string)
     */
    static String problem(ByteBuf buf, int from, int length) {
        int end = from + length;
        int i = from;
        while (i < end) {
            int stop = buf.forEachByte(i, end - i, PLAIN_ASCII);
            if (stop < 0) {
                return null;
            }
            i = stop;
            int lead = buf.getUnsignedByte(i);
            if (lead == 0) {
                return "U+0000 at offset " + (i - from);
            }
            int more;
            int min = 0x80; // allowed range of the second byte (Unicode table 3-7)
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                more = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                more = 2;
                if (lead == 0xE0) {
                    min = 0xA0; // E0 80..9F would be an overlong 3-byte form
                } else if (lead == 0xED) {
                    max = 0x9F; // ED A0..BF would encode U+D800..U+DFFF
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                more = 3;
                if (lead == 0xF0) {
                    min = 0x90; // F0 80..8F would be an overlong 4-byte form
                } else if (lead == 0xF4) {
                    max = 0x8F; // F4 90.. would be above U+10FFFF
                }
            } else {
                return at(buf, i, from, end) + (lead < 0xC0 ? "continuation byte without a lead byte"
                        : lead < 0xC2 ? "overlong encoding"
                        : lead < 0xF8 ? "code point above U+10FFFF" : "byte that never occurs in UTF-8");
            }
            if (i + more >= end) {
                return at(buf, i, from, end) + "sequence cut off by the end of the string";
            }
            int second = buf.getUnsignedByte(i + 1);
            if (second < min || second > max) {
                String why = second < 0x80 || second > 0xBF ? "invalid continuation byte"
                        : lead == 0xED ? "surrogate (U+D800..U+DFFF)"
                        : lead == 0xF4 ? "code point above U+10FFFF" : "overlong encoding";
                return at(buf, i, from, end) + why;
            }
            for (int k = 2; k <= more; k++) {
                int b = buf.getUnsignedByte(i + k);
                if (b < 0x80 || b > 0xBF) {
                    return at(buf, i, from, end) + "invalid continuation byte";
                }
            }
            i += more + 1;
        }
        return null;
    }

    /** "bytes ED A0 80 at offset 3: " (up to four bytes of the bad sequence, for the log). */
    private static String at(ByteBuf buf, int i, int from, int end) {
        StringBuilder b = new StringBuilder("bytes");
        for (int k = i; k < end && k < i + 4; k++) {
            b.append(' ').append(String.format("%02X", buf.getUnsignedByte(k)));
        }
        return b.append(" at offset ").append(i - from).append(": ").toString();
    }
}
