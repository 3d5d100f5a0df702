package org.eemqtt.broker.application;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.broker.domain.auth.ScramException;
import org.eemqtt.broker.domain.auth.ScramSha256Server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The handler of a connection between the SCRAM challenge and CONNACK. It takes the client's AUTH 0x18 on the
 * transport thread, and once the proof holds it finishes the connect without blocking: the session opens and
 * CONNACK leaves from the store's completion, which then hands the connection over. From then on it only
 * forwards to the connection's handler.
 */
final class PendingAuthentication implements ConnectionHandler {

    private static final Logger LOG = Logger.getLogger(PendingAuthentication.class.getName());

    private enum State { CHALLENGED, ACCEPTING, FAILED }

    private final EnhancedAuthFlow flow;
    private final MqttConnection transport;
    private final ConnectPacket connect;
    private final ScramLogin login;
    private final ScramSha256Server exchange;
    private final Function<EnhancedAuthFlow.Authenticated, CompletionStage<ConnectionHandler>> accept;
    /** Packets that arrive while the session opens: the connection gets them, in order, once it takes over. */
    private final List<MqttPacket> heldBack = new ArrayList<>();
    private State state = State.CHALLENGED;
    private CloseReason closed;
    private Future<?> timeout;
    /** The connection's handler once CONNACK is out; read without the lock on the hot path. */
    private volatile ConnectionHandler open;

    PendingAuthentication(EnhancedAuthFlow flow, MqttConnection transport, ConnectPacket connect, ScramLogin login,
                          ScramSha256Server exchange,
                          Function<EnhancedAuthFlow.Authenticated, CompletionStage<ConnectionHandler>> accept) {
        this.flow = flow;
        this.transport = transport;
        this.connect = connect;
        this.login = login;
        this.exchange = exchange;
        this.accept = accept;
    }

    /** A client that never answers the challenge is closed (there is no keep-alive before CONNACK). */
    synchronized void armTimeout(ScheduledExecutorService scheduler, int seconds) {
        if (seconds > 0) {
            timeout = scheduler.schedule(() -> timedOut(seconds), seconds, TimeUnit.SECONDS);
        }
    }

    private synchronized void timedOut(int seconds) {
        if (state == State.CHALLENGED && closed == null) {
            state = State.FAILED;
            log("no answer to the authentication challenge within " + seconds + " s");
            transport.close(null);
        }
    }

    @Override
    public void onPacket(MqttPacket packet) {
        ConnectionHandler connection = open;
        if (connection != null) {
            connection.onPacket(packet);
            return;
        }
        synchronized (this) {
            if (open != null) {
                open.onPacket(packet);
            } else if (state == State.CHALLENGED) {
                onAnswer(packet);
            } else if (state == State.ACCEPTING) {
                // CONNACK may already be out (it leaves from the store's completion, before the hand-over)
                heldBack.add(packet);
            }
        }
    }

    private void onAnswer(MqttPacket packet) {
        if (packet instanceof AuthPacket auth) {
            if (!connect.authenticationMethod().equals(auth.authenticationMethod())) {
                protocolError("AUTH with method '" + auth.authenticationMethod() + "', not the CONNECT's '"
                        + connect.authenticationMethod() + "'"); // MQTT-4.12.0-5
            } else if (auth.reasonCode() != AuthReasonCode.CONTINUE_AUTHENTICATION) {
                protocolError("AUTH " + auth.reasonCode() + " before CONNACK"); // MQTT-4.12.0-3
            } else {
                verify(auth.authenticationData());
            }
        } else if (packet instanceof DisconnectPacket) {
            state = State.FAILED; // the client gave up; it never connected, so there is no will to publish
            cancelTimeout();
            transport.close(null);
        } else {
            protocolError(describe(packet) + " before CONNACK"); // MQTT-3.1.2-30: only AUTH or DISCONNECT
        }
    }

    private void verify(byte[] clientFinal) {
        cancelTimeout();
        Optional<byte[]> serverFinal;
        try {
            serverFinal = login.verify(exchange, clientFinal);
        } catch (ScramException e) {
            log("SCRAM client-final-message refused: " + e.getMessage());
            serverFinal = Optional.empty();
        }
        if (serverFinal.isEmpty()) {
            state = State.FAILED;
            flow.failed(transport.remoteAddress());
            // MQTT-4.12.0-4: the server rejects with a CONNACK reason code of 0x80 or above, then closes
            LOG.info(() -> "MQTT login refused from " + transport.remoteAddress() + ": SCRAM-SHA-256 proof "
                    + "failed for user '" + login.username() + "'");
            transport.close(ConnAckPacket.refuse(login.failure()));
            return;
        }
        state = State.ACCEPTING;
        EnhancedAuthFlow.Authenticated authenticated = new EnhancedAuthFlow.Authenticated(
                EnhancedAuthFlow.authenticatedAs(connect, login.username()), serverFinal.get(),
                flow.reauthentication(connect.authenticationMethod(), login));
        accept.apply(authenticated).whenComplete((handler, error) ->
                handOver(handler != null ? handler : ConnectFlow.REFUSED));
    }

    /** The connection exists and CONNACK is on its way (or it was refused): it takes over. */
    private synchronized void handOver(ConnectionHandler connection) {
        if (closed != null) {
            connection.onClosed(closed);
            return;
        }
        for (MqttPacket packet : heldBack) {
            connection.onPacket(packet);
        }
        heldBack.clear();
        open = connection;
    }

    @Override
    public void onClosed(CloseReason reason) {
        ConnectionHandler connection;
        synchronized (this) {
            cancelTimeout();
            connection = open;
            if (connection == null) {
                closed = reason; // a connection still being accepted gets it in handOver
                return;
            }
        }
        connection.onClosed(reason);
    }

    private void protocolError(String detail) {
        state = State.FAILED;
        cancelTimeout();
        log(detail);
        // MQTT-3.14.0-1: no DISCONNECT before a successful CONNACK, so the refusal is CONNACK 0x82 (MQTT-4.12.0-4)
        transport.close(ConnAckPacket.refuse(ConnectReasonCode.PROTOCOL_ERROR));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private void log(String detail) {
        LOG.info(() -> "MQTT " + transport.listenerName() + " " + transport.remoteAddress() + " client '"
                + connect.clientId() + "': " + detail + "; connection closed");
    }

    private static String describe(MqttPacket packet) {
        return packet.getClass().getSimpleName().replace("Packet", "").toUpperCase();
    }
}
