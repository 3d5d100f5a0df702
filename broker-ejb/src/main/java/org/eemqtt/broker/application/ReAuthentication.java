package org.eemqtt.broker.application;

import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.broker.domain.auth.ScramClientFirst;
import org.eemqtt.broker.domain.auth.ScramException;
import org.eemqtt.broker.domain.auth.ScramSha256Server;

import java.util.Optional;

/**
 * Re-authentication of a connection that logged in with SCRAM-SHA-256 (MQTT 5.0 4.12.1): AUTH 0x19 with a new
 * client-first-message, AUTH 0x18 both ways, then AUTH 0x00 with the server-final-message, or DISCONNECT 0x87.
 * The connection's other packets flow as usual meanwhile. It runs on the transport thread, so it uses the
 * credentials looked up at CONNECT (no store access there) and allows only the same user.
 */
final class ReAuthentication {

    private final EnhancedAuthFlow flow;
    private final String method;
    private final ScramLogin login;
    private ScramSha256Server exchange;

    ReAuthentication(EnhancedAuthFlow flow, String method, ScramLogin login) {
        this.flow = flow;
        this.method = method;
        this.login = login;
    }

    void onAuth(ClientConnection connection, AuthPacket auth) {
        if (!method.equals(auth.authenticationMethod())) {
            // MQTT-4.12.1-1 / MQTT-4.12.0-5: the method is the one the connection authenticated with
            connection.protocolError("AUTH with method '" + auth.authenticationMethod() + "', not the CONNECT's '"
                    + method + "'");
        } else if (auth.reasonCode() == AuthReasonCode.RE_AUTHENTICATE && exchange == null) {
            start(connection, auth.authenticationData());
        } else if (auth.reasonCode() == AuthReasonCode.CONTINUE_AUTHENTICATION && exchange != null) {
            finish(connection, auth.authenticationData());
        } else {
            connection.protocolError("AUTH " + auth.reasonCode()
                    + (exchange == null ? " without a re-authentication in progress" : " during re-authentication"));
        }
    }

    private void start(ClientConnection connection, byte[] clientFirstMessage) {
        try {
            ScramClientFirst clientFirst = ScramClientFirst.parse(clientFirstMessage);
            if (!clientFirst.username().equals(login.username())) {
                fail(connection, "re-authentication as another user ('" + clientFirst.username() + "')");
                return;
            }
            exchange = login.exchange(clientFirst, flow.newNonce());
        } catch (ScramException e) {
            fail(connection, "SCRAM re-authentication: " + e.getMessage());
            return;
        }
        connection.send(new AuthPacket(AuthReasonCode.CONTINUE_AUTHENTICATION, method, exchange.serverFirst(),
                null));
    }

    private void finish(ClientConnection connection, byte[] clientFinal) {
        ScramSha256Server current = exchange;
        exchange = null;
        Optional<byte[]> serverFinal;
        try {
            serverFinal = login.verify(current, clientFinal);
        } catch (ScramException e) {
            fail(connection, "SCRAM re-authentication: " + e.getMessage());
            return;
        }
        if (serverFinal.isEmpty()) {
            fail(connection, "re-authentication failed: wrong SCRAM-SHA-256 proof for user '" + login.username()
                    + "'");
            return;
        }
        connection.send(new AuthPacket(AuthReasonCode.SUCCESS, method, serverFinal.get(), null));
    }

    /** MQTT-4.12.1-2: a failed re-authentication ends the connection, with DISCONNECT 0x87. */
    private void fail(ClientConnection connection, String detail) {
        exchange = null;
        connection.closeWithError(DisconnectReasonCode.NOT_AUTHORIZED, detail);
    }
}
