package org.eemqtt.broker.application;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logins that already passed the (deliberately slow) PBKDF2 check, so that thousands of devices reconnecting with
 * the same credentials do not each cost milliseconds of CPU. It keeps, per user, an HMAC of the last verified
 * password under a key that exists only in this process's memory, and the stored hash it was verified against:
 * a changed password (another stored hash) invalidates the entry by itself.
 */
final class VerifiedLogins {

    private static final String HMAC = "HmacSHA256";
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(byte[] passwordMac, String storedHash) {
    }

    private final SecretKeySpec key;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedLogins() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = new SecretKeySpec(secret, HMAC);
    }

    boolean contains(String user, byte[] password, String storedHash) {
        Entry entry = entries.get(user);
        return entry != null && entry.storedHash.equals(storedHash)
                && MessageDigest.isEqual(entry.passwordMac, mac(password));
    }

    void remember(String user, byte[] password, String storedHash) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear(); // a crude bound: the cost of forgetting is one slow check per user
        }
        entries.put(user, new Entry(mac(password), storedHash));
    }

    /** Forgets the user's verified login (password changed, user removed): the next login is checked in full. */
    void forget(String user) {
        entries.remove(user);
    }

    private byte[] mac(byte[] password) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is part of every Java runtime", e);
        }
    }
}
