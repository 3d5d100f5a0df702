package org.eemqtt.broker.infrastructure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Primary keys for client ids and topics: their SHA-256 in lower-case hex. Client ids and topics may be 65,535
 * bytes and differ only in case or trailing spaces, while an indexed column must stay within 767 bytes and MySQL's
 * default collations ignore case: 64 hex digits are short, ASCII and collation-proof. The readable value is kept
 * beside the key.
 */
final class StoreKeys {

    static final int LENGTH = 64;

    private StoreKeys() {
    }

    static String of(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
