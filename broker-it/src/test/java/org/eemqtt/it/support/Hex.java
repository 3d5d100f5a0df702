package org.eemqtt.it.support;

import java.util.Arrays;

/** Hex helpers for readable assertion messages about raw bytes. */
public final class Hex {

    private Hex() {
    }

    /** "20 02 00 00"; long arrays are cut after 64 bytes with the total length noted. */
    public static String of(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(bytes.length, 64);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", bytes[i] & 0xFF));
        }
        if (shown < bytes.length) {
            sb.append(" ... (").append(bytes.length).append(" bytes)");
        }
        return sb.length() == 0 ? "(no bytes)" : sb.toString();
    }

    /** Parses "20 02 00 00" into bytes. */
    public static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        int len = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[len];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
