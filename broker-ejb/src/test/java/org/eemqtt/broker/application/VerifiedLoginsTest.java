package org.eemqtt.broker.application;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedLoginsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void remembersOnlyTheVerifiedPasswordAgainstTheSameStoredHash() {
        VerifiedLogins logins = new VerifiedLogins();
        assertThat(logins.contains("ann", utf8("secret"), "hash-1")).isFalse();

        logins.remember("ann", utf8("secret"), "hash-1");

        assertThat(logins.contains("ann", utf8("secret"), "hash-1")).isTrue();
        assertThat(logins.contains("ann", utf8("Secret"), "hash-1")).as("another password").isFalse();
        assertThat(logins.contains("ann", utf8("secret"), "hash-2")).as("password changed in the store").isFalse();
        assertThat(logins.contains("bob", utf8("secret"), "hash-1")).as("another user").isFalse();
    }
}
