package org.eemqtt.api.tls;

import org.eemqtt.api.Setting;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TLS settings shared by the MQTT TLS listener and the HTTPS listener of the Payara Micro launcher.
 *
 * @param port             TLS listener port; negative: no TLS listener
 * @param keystore         the configured PKCS#12 keystore, or the generated one in the data folder
 * @param generated        whether {@code keystore} is the broker's own (made on the first start when missing)
 * @param truststore       CA certificates for client certificates, or null
 * @param httpsPort        Payara Micro's HTTPS port (uber-jar); negative: none
 */
public record TlsConfig(int port, Path keystore, String keystorePassword, boolean generated, Path truststore,
                        String truststorePassword, ClientAuth clientAuth, boolean cnAsUsername, int httpsPort) {

    /** Whether (and how strictly) the TLS listener asks for a client certificate. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /** File names of the generated key material inside {@code <mqtt.data.dir>/tls}. */
    public static final String GENERATED_KEYSTORE = "broker.p12";
    public static final String GENERATED_PEM = "broker.pem";

    public static TlsConfig from(Function<String, Optional<String>> lookup) {
        String configured = Setting.TLS_KEYSTORE.value(lookup);
        Path keystore = configured.isEmpty()
                ? Path.of(Setting.DATA_DIR.value(lookup), "tls", GENERATED_KEYSTORE).toAbsolutePath().normalize()
                : Path.of(configured).toAbsolutePath().normalize();
        String truststore = Setting.TLS_TRUSTSTORE.value(lookup);
        String clientAuth = Setting.TLS_CLIENT_AUTH.value(lookup);
        ClientAuth auth;
        try {
            auth = ClientAuth.valueOf(clientAuth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting " + Setting.TLS_CLIENT_AUTH.key()
                    + " must be none, optional or required, not '" + clientAuth + "'", e);
        }
        if (auth != ClientAuth.NONE && truststore.isEmpty()) {
            throw new IllegalArgumentException("Setting " + Setting.TLS_CLIENT_AUTH.key() + "=" + clientAuth
                    + " needs " + Setting.TLS_TRUSTSTORE.key() + " (the CA certificates client certificates are "
                    + "checked against)");
        }
        boolean cnAsUsername = Setting.TLS_CN_AS_USERNAME.booleanValue(lookup);
        if (cnAsUsername && auth == ClientAuth.NONE) {
            throw new IllegalArgumentException("Setting " + Setting.TLS_CN_AS_USERNAME.key() + "=true needs "
                    + Setting.TLS_CLIENT_AUTH.key() + "=optional or required: without client certificates there "
                    + "is no CN");
        }
        return new TlsConfig(Setting.TLS_PORT.intValue(lookup), keystore,
                Setting.TLS_KEYSTORE_PASSWORD.value(lookup), configured.isEmpty(),
                truststore.isEmpty() ? null : Path.of(truststore).toAbsolutePath().normalize(),
                Setting.TLS_TRUSTSTORE_PASSWORD.value(lookup), auth,
                cnAsUsername, Setting.HTTPS_PORT.intValue(lookup));
    }

    /** Settings from system properties and environment variables ({@code MQTT_TLS_PORT}), before any server runs. */
    public static Function<String, Optional<String>> systemLookup() {
        return key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'))));
    }

    public boolean enabled() {
        return port >= 0;
    }

    /** The PEM copy of a generated certificate, next to its keystore. */
    public Path generatedPem() {
        return keystore.resolveSibling(GENERATED_PEM);
    }
}
