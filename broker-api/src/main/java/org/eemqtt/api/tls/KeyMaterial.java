package org.eemqtt.api.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The broker's one key and certificate chain, for TLS on 8883 and HTTPS/WSS: read from the configured PKCS#12
 * keystore, or from the generated one, which the first start makes (self-signed, SAN localhost and 127.0.0.1,
 * ten years) together with a PEM copy of the certificate for clients to trust.
 *
 * @param alias       the keystore entry (Payara Micro's {@code --sslcert})
 * @param generatedNow whether this call made the keystore
 */
public record KeyMaterial(String alias, PrivateKey privateKey, X509Certificate[] chain, Path keystore,
                          boolean generatedNow) {

    /** Alias of the key in the generated keystore. */
    public static final String GENERATED_ALIAS = "mqtt-broker";
    static final Duration GENERATED_VALIDITY = Duration.ofDays(3650);

    public static KeyMaterial loadOrGenerate(TlsConfig config) throws IOException, GeneralSecurityException {
        boolean made = false;
        if (config.generated() && !Files.exists(config.keystore())) {
            made = generate(config);
        }
        if (!Files.isReadable(config.keystore())) {
            throw new IOException("TLS keystore " + config.keystore() + " is missing or not readable");
        }
        KeyStore store = load(config.keystore(), config.keystorePassword());
        char[] password = config.keystorePassword().toCharArray();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                X509Certificate[] x509 = new X509Certificate[chain.length];
                for (int i = 0; i < chain.length; i++) {
                    x509[i] = (X509Certificate) chain[i];
                }
                return new KeyMaterial(alias, key, x509, config.keystore(), made);
            }
        }
        throw new GeneralSecurityException("TLS keystore " + config.keystore() + " holds no private key");
    }

    /** The certificates of a truststore (CA certificates that client certificates must chain to). */
    public static List<X509Certificate> trusted(Path truststore, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = load(truststore, password);
        List<X509Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                certificates.add(certificate);
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("TLS truststore " + truststore + " holds no certificate");
        }
        return certificates;
    }

    /** Reads a PKCS#12 or JKS file (the JDK tells them apart); a wrong password is named as such. */
    static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        try {
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IOException("Cannot open " + file + ": wrong password", e);
            }
            throw new IOException("Cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes keystore and PEM through temporary files, so a crash never leaves half a keystore behind. */
    private static boolean generate(TlsConfig config) throws IOException, GeneralSecurityException {
        Path folder = config.keystore().getParent();
        Files.createDirectories(folder);
        // keytool wants a keystore file that does not exist yet: a fresh name, not an empty temporary file
        Path storeTemp = folder.resolve("broker-" + UUID.randomUUID() + ".p12.tmp");
        Path pemTemp;
        try {
            Keytool.generateSelfSigned(storeTemp, GENERATED_ALIAS, config.keystorePassword(), "localhost",
                    List.of("localhost", "127.0.0.1"), (int) GENERATED_VALIDITY.toDays());
            ownerOnly(storeTemp);
            X509Certificate certificate = (X509Certificate) load(storeTemp, config.keystorePassword())
                    .getCertificate(GENERATED_ALIAS);
            pemTemp = Files.createTempFile(folder, "broker", ".pem.tmp");
            Files.writeString(pemTemp, Certificates.pem(certificate), StandardCharsets.US_ASCII);
            try {
                // no REPLACE_EXISTING: a keystore made meanwhile by another process wins, with its own PEM
                Files.move(storeTemp, config.keystore(), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(pemTemp);
                return false;
            }
        } finally {
            Files.deleteIfExists(storeTemp);
        }
        Files.move(pemTemp, config.generatedPem(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            // not a POSIX file system: the folder's own protection applies
        }
    }

    /** The subject and, for a generated key, where clients find the certificate to trust: for logs. */
    public String describe(TlsConfig config) {
        String text = "certificate " + chain[0].getSubjectX500Principal().getName() + " from " + keystore;
        return config.generated() ? text + "; clients trust it with " + config.generatedPem() : text;
    }
}
