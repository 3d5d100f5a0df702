package org.eemqtt.broker.domain;

/** Salted one-way password hashing. */
public interface PasswordHasher {

    String hash(char[] password);

    boolean verify(char[] password, String hash);
}
