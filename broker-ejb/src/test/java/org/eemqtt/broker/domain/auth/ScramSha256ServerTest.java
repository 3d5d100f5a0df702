package org.eemqtt.broker.domain.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramSha256ServerTest {

    // RFC 7677 section 3: user "user", password "pencil", salt and nonces as printed there
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramCredentials pencil() {
        byte[] salt = Base64.getDecoder().decode(SALT);
        return new ScramCredentials(salt, 4096, ScramTestClient.hi("pencil", salt, 4096));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ScramSha256Server rfcServer(ScramCredentials credentials) throws ScramException {
        return new ScramSha256Server(ScramClientFirst.parse(utf8(CLIENT_FIRST)), credentials, SERVER_NONCE);
    }

    @Test
    void producesRfc7677ServerFirstAndServerFinal() throws ScramException {
        ScramSha256Server server = rfcServer(pencil());
        assertThat(server.username()).isEqualTo("user");
        assertThat(new String(server.serverFirst(), StandardCharsets.UTF_8)).isEqualTo(SERVER_FIRST);
        assertThat(server.verify(utf8(CLIENT_FINAL))).hasValueSatisfying(
                serverFinal -> assertThat(new String(serverFinal, StandardCharsets.UTF_8)).isEqualTo(SERVER_FINAL));
    }

    @Test
    void refusesTheRfcProofForAnotherPassword() throws ScramException {
        byte[] salt = Base64.getDecoder().decode(SALT);
        ScramSha256Server server = rfcServer(new ScramCredentials(salt, 4096,
                ScramTestClient.hi("pencil2", salt, 4096)));
        assertThat(server.verify(utf8(CLIENT_FINAL))).isEmpty();
    }

    @Test
    void refusesATamperedProof() throws ScramException {
        String tampered = CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertThat(rfcServer(pencil()).verify(utf8(tampered))).isEmpty();
    }

    @Test
    void refusesAnotherNonceOrChannelBinding() throws ScramException {
        assertThatThrownBy(() -> rfcServer(pencil()).verify(utf8(CLIENT_FINAL.replace("k0,", "k1,"))))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> rfcServer(pencil()).verify(utf8(CLIENT_FINAL.replace("c=biws", "c=eSws"))))
                .isInstanceOf(ScramException.class).hasMessageContaining("gs2 header");
        assertThatThrownBy(() -> rfcServer(pencil()).verify(utf8("c=biws,r=x")))
                .isInstanceOf(ScramException.class).hasMessageContaining("proof");
    }

    @Test
    void roundTripWithAnIndependentClientAndARandomNonce() throws ScramException {
        ScramTestClient client = new ScramTestClient("us,er=1", "pencil", "abc");
        ScramClientFirst first = ScramClientFirst.parse(client.clientFirst());
        assertThat(first.username()).isEqualTo("us,er=1");
        ScramSha256Server server = new ScramSha256Server(first, pencil(), Scram.randomNonce());
        byte[] serverFinal = server.verify(client.clientFinal(server.serverFirst())).orElseThrow();
        assertThat(client.serverFinalValid(serverFinal)).isTrue();
    }

    @Test
    void clientFirstGrammar() throws ScramException {
        assertThat(ScramClientFirst.parse(utf8("y,,n=a,r=x")).gs2Header()).isEqualTo("y,,");
        assertThat(ScramClientFirst.parse(utf8("n,,n=a,r=x,ext=1")).bare()).isEqualTo("n=a,r=x,ext=1");
        for (String bad : new String[] {"", "n,n=a,r=x", "p=tls-unique,,n=a,r=x", "n,a=admin,n=a,r=x",
                "n,,m=ext,n=a,r=x", "n,,n=a", "n,,r=x,n=a", "n,,n=,r=x", "n,,n=a=2,r=x", "n,,n=a,r=x y",
                "q,,n=a,r=x"}) {
            assertThatThrownBy(() -> ScramClientFirst.parse(utf8(bad))).as(bad)
                    .isInstanceOf(ScramException.class);
        }
    }

    @Test
    void decoyCredentialsAreStablePerNameAndFailTheProof() throws ScramException {
        DecoyCredentials decoys = new DecoyCredentials(10_000);
        assertThat(decoys.forUser("nobody").salt()).isEqualTo(decoys.forUser("nobody").salt())
                .isNotEqualTo(decoys.forUser("someone").salt()).hasSize(16);
        assertThat(decoys.forUser("nobody").iterations()).isEqualTo(10_000);
        ScramTestClient client = new ScramTestClient("nobody", "guess", "n1");
        ScramSha256Server server = new ScramSha256Server(ScramClientFirst.parse(client.clientFirst()),
                decoys.forUser("nobody"), "s1");
        assertThat(server.verify(client.clientFinal(server.serverFirst()))).isEmpty();
    }
}
