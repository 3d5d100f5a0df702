package org.eemqtt.broker.domain.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Credentials for user names that have none (unknown users, or hashes SCRAM cannot use), so that the exchange
 * looks the same and fails only at the proof (RFC 5802 section 9: do not tell whether a user exists). The salt
 * is the same for a name on every attempt, like a real user's, but cannot be linked to it: it is an HMAC under a
 * key that lives only in this process.
 */
public final class DecoyCredentials {

    private final byte[] key = new byte[32];
    private final int iterations;

    /** @param iterations the count real users have, so that it gives nothing away either */
    public DecoyCredentials(int iterations) {
        new SecureRandom().nextBytes(key);
        this.iterations = iterations;
    }

    public ScramCredentials forUser(String username) {
        byte[] salt = Arrays.copyOf(Scram.hmac(key, ("salt:" + username).getBytes(StandardCharsets.UTF_8)), 16);
        byte[] saltedPassword = Scram.hmac(key, ("password:" + username).getBytes(StandardCharsets.UTF_8));
        return new ScramCredentials(salt, iterations, saltedPassword);
    }
}
