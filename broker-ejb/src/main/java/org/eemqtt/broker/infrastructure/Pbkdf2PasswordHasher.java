package org.eemqtt.broker.infrastructure;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.auth.ScramCredentials;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Salted PBKDF2 hashes from Jakarta Security (the stored form carries algorithm, iterations and salt:
 * {@code PBKDF2WithHmacSHA256:10000:<base64 salt>:<base64 key>}).
 */
@ApplicationScoped
public class Pbkdf2PasswordHasher implements PasswordHasher {

    @Inject
    Pbkdf2PasswordHash pbkdf2;

    @PostConstruct
    void configure() {
        pbkdf2.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
                "Pbkdf2PasswordHash.Iterations", "10000",
                "Pbkdf2PasswordHash.SaltSizeBytes", "16",
                "Pbkdf2PasswordHash.KeySizeBytes", "32"));
    }

    @Override
    public String hash(char[] password) {
        return pbkdf2.generate(password);
    }

    @Override
    public boolean verify(char[] password, String hash) {
        return pbkdf2.verify(password, hash);
    }

    @Override
    public Optional<ScramCredentials> scramCredentials(String hash) {
        return parseScram(hash);
    }

    /**
     * The SCRAM-SHA-256 view of a stored hash in Soteria's format. PBKDF2's first output block is RFC 5802's
     * Hi(password, salt, i), so the first 32 bytes of a PBKDF2WithHmacSHA256 key are SaltedPassword (the JDK
     * feeds PBKDF2 the password's UTF-8 bytes, which is what SCRAM clients hash for ASCII passwords; SASLprep of
     * other passwords is not applied).
     */
    public static Optional<ScramCredentials> parseScram(String hash) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        if (parts.length != 4 || !parts[0].equals("PBKDF2WithHmacSHA256")) {
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] key = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || key.length < 32) {
                return Optional.empty();
            }
            return Optional.of(new ScramCredentials(salt, iterations, Arrays.copyOf(key, 32)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a well-formed hash: no SCRAM for it
        }
    }
}
