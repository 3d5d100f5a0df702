package org.eemqtt.broker.domain.auth;

/**
 * What a SCRAM server needs to know of a password (RFC 5802 section 3): the salt, the iteration count and
 * SaltedPassword = Hi(password, salt, i). The clear password is never needed.
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] saltedPassword) {

    public ScramCredentials {
        salt = salt.clone();
        saltedPassword = saltedPassword.clone();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] saltedPassword() {
        return saltedPassword.clone();
    }
}
