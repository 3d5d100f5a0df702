package org.eemqtt.api.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyMaterialTest {

    @TempDir
    Path dir;

    private TlsConfig config(Map<String, String> settings) {
        return TlsConfig.from(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void firstStartGeneratesSelfSignedLocalhostCertificateWithPemAndLaterStartsReuseIt() throws Exception {
        TlsConfig config = config(Map.of("mqtt.data.dir", dir.toString()));
        KeyMaterial first = KeyMaterial.loadOrGenerate(config);

        assertThat(first.generatedNow()).isTrue();
        assertThat(first.keystore()).isEqualTo(dir.resolve("tls/broker.p12").toAbsolutePath());
        assertThat(first.alias()).isEqualTo(KeyMaterial.GENERATED_ALIAS);
        X509Certificate certificate = first.chain()[0];
        assertThat(Certificates.commonNameOf(certificate)).isEqualTo("localhost");
        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificate.getNotAfter().toInstant())
                .isAfter(Instant.now().plus(3649, ChronoUnit.DAYS));
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        certificate.verify(certificate.getPublicKey());
        assertThat(Files.getPosixFilePermissions(first.keystore()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        X509Certificate fromPem;
        try (InputStream in = Files.newInputStream(config.generatedPem())) {
            fromPem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(fromPem).isEqualTo(certificate);
        assertThat(Files.readString(config.generatedPem())).startsWith("-----BEGIN CERTIFICATE-----\n");

        KeyMaterial again = KeyMaterial.loadOrGenerate(config);
        assertThat(again.generatedNow()).isFalse();
        assertThat(again.chain()[0]).isEqualTo(certificate);
        assertThat(again.privateKey()).isEqualTo(first.privateKey());
        assertThat(first.describe(config)).contains("CN=localhost").contains(config.generatedPem().toString());
    }

    @Test
    void configuredKeystoreIsLoadedWithItsOwnAliasAndNothingIsGenerated() throws Exception {
        Path file = dir.resolve("own.p12");
        Keytool.generateSelfSigned(file, "own-key", "s3cret", "broker.example", List.of("broker.example"), 30);
        X509Certificate own = (X509Certificate) KeyStore.getInstance(file.toFile(), "s3cret".toCharArray())
                .getCertificate("own-key");
        TlsConfig config = config(Map.of("mqtt.data.dir", dir.toString(), "mqtt.tls.keystore", file.toString(),
                "mqtt.tls.keystore.password", "s3cret"));

        KeyMaterial material = KeyMaterial.loadOrGenerate(config);

        assertThat(material.alias()).isEqualTo("own-key");
        assertThat(material.chain()[0]).isEqualTo(own);
        assertThat(Certificates.commonNameOf(own)).isEqualTo("broker.example");
        assertThat(material.generatedNow()).isFalse();
        assertThat(dir.resolve("tls")).doesNotExist();
    }

    @Test
    void wrongPasswordAndMissingKeystoreAreNamedClearly() throws Exception {
        Path file = dir.resolve("own.p12");
        Keytool.generateSelfSigned(file, "k", "rightful", "x", List.of(), 1);

        assertThatThrownBy(() -> KeyMaterial.loadOrGenerate(config(Map.of("mqtt.tls.keystore", file.toString(),
                "mqtt.tls.keystore.password", "wrongful"))))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("password");
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> KeyMaterial.loadOrGenerate(config(Map.of("mqtt.tls.keystore", missing.toString()))))
                .isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void keytoolFailureIsReportedWithItsOwnWords() {
        Path file = dir.resolve("short.p12");
        // PKCS#12 passwords shorter than six characters are refused by keytool
        assertThatThrownBy(() -> Keytool.generateSelfSigned(file, "k", "abc", "x", List.of(), 1))
                .isInstanceOf(IOException.class).hasMessageContaining("keytool could not generate")
                .hasMessageContaining(file.toString());
    }

    @Test
    void clientAuthNeedsATruststoreAndAKnownMode() {
        assertThatThrownBy(() -> config(Map.of("mqtt.tls.client.auth", "required")))
                .hasMessageContaining("mqtt.tls.truststore");
        assertThatThrownBy(() -> config(Map.of("mqtt.tls.client.auth", "sometimes")))
                .hasMessageContaining("none, optional or required");
        assertThatThrownBy(() -> config(Map.of("mqtt.tls.cn.as.username", "true")))
                .hasMessageContaining("mqtt.tls.client.auth");
        assertThat(config(Map.of("mqtt.tls.port", "-1")).enabled()).isFalse();
        assertThat(config(Map.of()).port()).isEqualTo(8883);
    }
}
