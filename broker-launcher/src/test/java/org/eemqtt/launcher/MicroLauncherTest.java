package org.eemqtt.launcher;

import org.eemqtt.api.tls.TlsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MicroLauncherTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty("javax.net.ssl.keyStore");
        System.clearProperty("javax.net.ssl.keyStorePassword");
        System.clearProperty("javax.net.ssl.keyStoreType");
    }

    private TlsConfig config(Map<String, String> settings) {
        return TlsConfig.from(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void addsSslPortAndAliasAndPointsTheKeyStorePropertiesAtTheGeneratedKeystore() throws Exception {
        String[] args = MicroLauncher.prepare(new String[] {"--port", "8080"},
                config(Map.of("mqtt.data.dir", dir.toString())));

        assertThat(args).containsExactly("--port", "8080", "--sslport", "8181", "--sslcert", "mqtt-broker");
        assertThat(System.getProperty("javax.net.ssl.keyStore"))
                .isEqualTo(dir.resolve("tls/broker.p12").toAbsolutePath().toString());
        assertThat(System.getProperty("javax.net.ssl.keyStorePassword")).isEqualTo("changeit");
        assertThat(dir.resolve("tls/broker.pem")).exists();
    }

    @Test
    void theCommandLineWinsOverTheSettingsAndHttpsCanBeSwitchedOff() throws Exception {
        String[] given = {"--sslPort", "9443", "--sslcert", "other"};
        assertThat(MicroLauncher.prepare(given, config(Map.of("mqtt.data.dir", dir.toString()))))
                .containsExactly(given);
        assertThat(System.getProperty("javax.net.ssl.keyStore")).isNotNull();
        clearProperties();

        String[] none = {"--port", "8080"};
        assertThat(MicroLauncher.prepare(none, config(Map.of("mqtt.data.dir", dir.resolve("off").toString(),
                "mqtt.https.port", "-1")))).containsExactly(none);
        assertThat(System.getProperty("javax.net.ssl.keyStore")).isNull();
        assertThat(dir.resolve("off")).doesNotExist();
    }
}
