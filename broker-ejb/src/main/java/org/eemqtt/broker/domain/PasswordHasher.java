package org.eemqtt.broker.domain;

import org.eemqtt.broker.domain.auth.ScramCredentials;

import java.util.Optional;

/** Salted one-way password hashing. */
public interface PasswordHasher {

    String hash(char[] password);

    boolean verify(char[] password, String hash);

    /**
     * The SCRAM-SHA-256 credentials a stored hash amounts to, when it is PBKDF2 with HMAC-SHA256: its key is then
     * SCRAM's SaltedPassword (RFC 5802 Hi() is PBKDF2's first block). Empty for hashes SCRAM cannot use.
     */
    default Optional<ScramCredentials> scramCredentials(String hash) {
        return Optional.empty();
    }
}
