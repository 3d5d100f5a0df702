package org.eemqtt.connector;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.nio.channels.ClosedChannelException;
import java.util.logging.Logger;

/**
 * Sits after the SslHandler: a failed handshake (plain TCP or garbage on the TLS port, an old protocol version, an
 * untrusted or missing client certificate) is one log line and a closed connection, without a stack trace and
 * without reaching the MQTT handlers.
 */
final class TlsHandshakeGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(TlsHandshakeGuard.class.getName());

    private boolean handshakeDone;
    private boolean logged;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                handshakeDone = true;
            } else {
                fail(ctx, completion.cause());
                return;
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!handshakeDone) {
            fail(ctx, cause);
        } else {
            super.exceptionCaught(ctx, cause);
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!logged) {
            logged = true;
            Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            // Netty quotes the offending bytes: from a plain MQTT client they hold its password, so never log them
            String detail = reason instanceof NotSslRecordException ? "not TLS: plain TCP or other bytes"
                    : reason instanceof ClosedChannelException ? "closed by the client before the handshake ended"
                    : reason.getClass().getSimpleName() + ": " + firstLine(reason.getMessage());
            LOG.info(() -> "MQTT tls " + ctx.channel().remoteAddress() + ": TLS handshake failed (" + detail
                    + "); connection closed");
        }
        ctx.close();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
