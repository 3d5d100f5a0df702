package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.domain.auth.Scram;
import org.eemqtt.broker.domain.auth.ScramClientFirst;
import org.eemqtt.broker.domain.auth.ScramCredentials;
import org.eemqtt.broker.domain.auth.ScramException;
import org.eemqtt.broker.domain.auth.ScramSha256Server;
import org.eemqtt.broker.domain.auth.ScramTestClient;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored hash in Jakarta Security's (Soteria's) Pbkdf2PasswordHash format is usable as SCRAM credentials. */
class Pbkdf2ScramCredentialsTest {

    /** What Soteria's Pbkdf2PasswordHashImpl.generate stores with our settings (10000 iterations, 16/32 bytes). */
    private static String soteriaHash(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 10_000, 32 * 8)).getEncoded();
        return "PBKDF2WithHmacSHA256:10000:" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void storedHashIsScramsSaltedPassword() throws Exception {
        String hash = soteriaHash("guest");
        ScramCredentials credentials = new Pbkdf2PasswordHasher().scramCredentials(hash).orElseThrow();
        assertThat(credentials.iterations()).isEqualTo(10_000);
        assertThat(Base64.getEncoder().encodeToString(credentials.salt())).isEqualTo(hash.split(":")[2]);
        assertThat(credentials.saltedPassword()).isEqualTo(Base64.getDecoder().decode(hash.split(":")[3]));
        assertThat(credentials.saltedPassword()).isEqualTo(
                ScramTestClient.hi("guest", credentials.salt(), 10_000));
    }

    @Test
    void aScramClientWithTheClearPasswordLogsInAgainstTheStoredHash() throws Exception {
        ScramCredentials credentials = Pbkdf2PasswordHasher.parseScram(soteriaHash("guest")).orElseThrow();
        assertThat(exchange(credentials, "guest")).isTrue();
        assertThat(exchange(credentials, "guest2")).isFalse();
    }

    private static boolean exchange(ScramCredentials credentials, String password) throws ScramException {
        ScramTestClient client = new ScramTestClient("guest", password, Scram.randomNonce());
        ScramSha256Server server = new ScramSha256Server(ScramClientFirst.parse(client.clientFirst()), credentials,
                Scram.randomNonce());
        return server.verify(client.clientFinal(server.serverFirst())).map(client::serverFinalValid).orElse(false);
    }

    @Test
    void otherHashesHaveNoScramCredentials() {
        assertThat(Pbkdf2PasswordHasher.parseScram("plain:secret")).isEmpty();
        assertThat(Pbkdf2PasswordHasher.parseScram("PBKDF2WithHmacSHA512:10000:AAAA:AAAA")).isEmpty();
        assertThat(Pbkdf2PasswordHasher.parseScram("PBKDF2WithHmacSHA256:x:AAAA:AAAA")).isEmpty();
        assertThat(Pbkdf2PasswordHasher.parseScram("PBKDF2WithHmacSHA256:10000:AAAA:AAAA")).isEmpty(); // 3-byte key
        assertThat(Pbkdf2PasswordHasher.parseScram("PBKDF2WithHmacSHA256:10000:!!:AAAA")).isEmpty();
        assertThat(Pbkdf2PasswordHasher.parseScram(null)).isEmpty();
    }
}
