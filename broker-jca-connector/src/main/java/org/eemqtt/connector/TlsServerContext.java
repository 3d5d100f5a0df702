package org.eemqtt.connector;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.eemqtt.api.tls.KeyMaterial;
import org.eemqtt.api.tls.TlsConfig;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/** The TLS listener's Netty context: the broker's one key, TLS 1.2 and 1.3 only, the JDK's TLS implementation. */
final class TlsServerContext {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final String description;

    private TlsServerContext(SslContext context, String description) {
        this.context = context;
        this.description = description;
    }

    static TlsServerContext create(TlsConfig config) throws IOException, GeneralSecurityException {
        KeyMaterial key = KeyMaterial.loadOrGenerate(config);
        SslContextBuilder builder = SslContextBuilder.forServer(key.privateKey(), key.chain())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
        String clients = "no client certificates";
        if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
            List<X509Certificate> trusted = KeyMaterial.trusted(config.truststore(), config.truststorePassword());
            builder.trustManager(trusted.toArray(X509Certificate[]::new))
                    .clientAuth(config.clientAuth() == TlsConfig.ClientAuth.REQUIRED
                            ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            clients = "client certificates " + config.clientAuth().name().toLowerCase() + " (" + trusted.size()
                    + " trusted from " + config.truststore() + (config.cnAsUsername() ? ", CN is the user name" : "")
                    + ")";
        }
        try {
            SslContext context = builder.build();
            String made = key.generatedNow() ? "generated " : "";
            return new TlsServerContext(context, made + key.describe(config) + "; " + clients);
        } catch (SSLException e) {
            throw new GeneralSecurityException("Cannot set up TLS with " + config.keystore() + ": " + e.getMessage(),
                    e);
        }
    }

    SslContext context() {
        return context;
    }

    /** Which certificate, from where, and the client-certificate policy: for the "listener ready" log line. */
    String description() {
        return description;
    }
}
