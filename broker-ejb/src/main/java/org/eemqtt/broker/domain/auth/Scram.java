package org.eemqtt.broker.domain.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The SCRAM-SHA-256 primitives of RFC 5802 section 2.2 with RFC 7677's hash, and nonce generation. */
public final class Scram {

    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Scram() {
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** 18 random bytes in base64: printable, without ',' (RFC 5802 nonce syntax). */
    public static String randomNonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** RFC 5802 "printable": %x21-2B / %x2D-7E, i.e. visible ASCII without ','. */
    static void requirePrintable(String value, String what) throws ScramException {
        if (value.isEmpty()) {
            throw new ScramException("empty " + what);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw new ScramException(what + " has a character outside RFC 5802's printable set");
            }
        }
    }
}
