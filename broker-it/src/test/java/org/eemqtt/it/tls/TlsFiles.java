package org.eemqtt.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eemqtt.it.support.BrokerProcess;

/** Key material as a client sees it: the broker's PEM to trust, a PKCS#12 file with a client key. */
public final class TlsFiles {

    public static final String PASSWORD = "changeit";

    private TlsFiles() {
    }

    /** The certificate a broker generated on its first start, as its README says: data/tls/broker.pem. */
    public static Path generatedPem(BrokerProcess broker) {
        return broker.runDir().resolve("data/tls/broker.pem");
    }

    public static X509Certificate certificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Not a certificate: " + pem, e);
        }
    }

    /** Trusts exactly the certificate in {@code pem}, as mosquitto's --cafile does. */
    public static TrustManagerFactory trusting(Path pem) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("broker", certificate(pem));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    /** The key (and chain) of a PKCS#12 file, for a client that presents a certificate. */
    public static KeyManagerFactory keyOf(Path p12) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(p12.toFile(), PASSWORD.toCharArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        return factory;
    }

    public static SSLContext context(TrustManagerFactory trust, KeyManagerFactory key) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(key == null ? null : key.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
