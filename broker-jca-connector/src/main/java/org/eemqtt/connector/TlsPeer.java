package org.eemqtt.connector;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.eemqtt.api.tls.Certificates;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** What the TLS handshake verified about the peer. */
final class TlsPeer {

    private TlsPeer() {
    }

    /** The CN of the client certificate the handshake verified, or null (no TLS, no certificate, no CN). */
    static String commonName(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Certificates.commonNameOf(leaf)
                    : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }
}
