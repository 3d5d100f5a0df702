package org.eemqtt.broker.application;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnAckProperties;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SessionStore;

import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** CONNECT, DISCONNECT and the end of connections: authentication, session take-over, resume and expiry, wills. */
final class ConnectFlow {

    private static final Logger LOG = Logger.getLogger(ConnectFlow.class.getName());
    private static final long CONNACK_STORE_TIMEOUT_SECONDS = 30;

    /** The handler of a refused connection: the transport is closing it, nothing more arrives that matters. */
    private static final ConnectionHandler REFUSED = new ConnectionHandler() {
        @Override
        public void onPacket(MqttPacket packet) {
        }

        @Override
        public void onClosed(CloseReason reason) {
        }
    };

    private final SessionRegistry sessions;
    private final Authenticator authenticator;
    private final SessionStore store;
    private final MessageRouter router;
    private final ScheduledExecutorService scheduler;
    private final int maxPacketSize;
    private BrokerFlows flows;

    ConnectFlow(SessionRegistry sessions, Authenticator authenticator, SessionStore store, MessageRouter router,
                ScheduledExecutorService scheduler, int maxPacketSize) {
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.store = store;
        this.router = router;
        this.scheduler = scheduler;
        this.maxPacketSize = maxPacketSize;
    }

    void flows(BrokerFlows brokerFlows) {
        this.flows = brokerFlows;
    }

    /**
     * Handles CONNECT and returns the connection's handler. Runs on a container thread and returns once CONNACK is
     * on its way, so that the transport hands over later packets only after it.
     */
    ConnectionHandler connect(MqttConnection transport, ConnectPacket connect) {
        String clientId = connect.clientId();
        String assignedClientId = null;
        if (clientId == null || clientId.isEmpty()) {
            if (!connect.version().isV5() && !connect.cleanStart()) {
                return refuse(transport, ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "empty client id with a persistent session"); // MQTT-3.1.3-8
            }
            clientId = "auto-" + UUID.randomUUID();
            assignedClientId = clientId;
        }
        ConnectReasonCode login = authenticator.authenticate(connect.username(), connect.password(),
                transport.remoteAddress());
        if (login != ConnectReasonCode.SUCCESS) {
            return refuse(transport, login, null);
        }
        ClientConnection connection = new ClientConnection(transport, connect, clientId, flows);
        SessionRegistry.Opened opened = sessions.open(connection, connect.cleanStart(),
                connect.sessionExpiryInterval());
        if (opened.replaced() != null) {
            router.forget(opened.replaced());
            // The replaced session ends now, so a will still waiting for its delay is due (5.0 3.1.3.2.2)
            Runnable will = opened.replaced().takePendingWill();
            if (will != null) {
                will.run();
            }
        }
        ClientSession session = opened.session();
        connection.session(session);
        transport.keepAlive(connect.keepAliveSeconds());
        ConnAckPacket connAck = new ConnAckPacket(opened.present(), ConnectReasonCode.SUCCESS,
                connect.version().isV5() ? connAckProperties(assignedClientId) : ConnAckProperties.NONE);
        String id = clientId;
        try {
            store.sessionOpened(clientId, connect.sessionExpiryInterval()).thenRun(() -> {
                transport.send(connAck);
                session.resume(connection, connect.receiveMaximum(), connect.maximumPacketSize());
            }).toCompletableFuture().get(CONNACK_STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Session of client '" + id + "' could not be stored; CONNECT refused", e);
            connection.discardWill(); // the connection was never accepted
            onConnectionClosed(connection, CloseReason.CLOSED_BY_BROKER);
            return refuse(transport, ConnectReasonCode.SERVER_UNAVAILABLE, null);
        }
        LOG.fine(() -> "MQTT client '" + id + "' connected from " + transport.remoteAddress() + " over "
                + transport.listenerName() + " (" + connect.version() + ", session present " + opened.present()
                + ")");
        return connection;
    }

    private ConnAckProperties connAckProperties(String assignedClientId) {
        return new ConnAckProperties(null, null, null, true, (long) maxPacketSize, assignedClientId, null, null,
                true, true, false, null);
    }

    private static ConnectionHandler refuse(MqttConnection transport, ConnectReasonCode code, String detail) {
        if (detail != null) {
            LOG.info(() -> "MQTT " + transport.listenerName() + " " + transport.remoteAddress()
                    + ": CONNECT refused (" + detail + ")");
        }
        transport.close(ConnAckPacket.refuse(code));
        return REFUSED;
    }

    void onDisconnect(ClientConnection connection, DisconnectPacket disconnect) {
        ClientSession session = connection.session();
        Long newExpiry = disconnect.sessionExpiryInterval();
        if (newExpiry != null) {
            if (connection.connectPacket().sessionExpiryInterval() == 0 && newExpiry != 0) {
                connection.protocolError("DISCONNECT sets a session expiry after CONNECT set none"); // MQTT-3.14.2-2
                return;
            }
            session.expiryIntervalSeconds(newExpiry);
        }
        if (disconnect.reasonCode() != DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            connection.discardWill(); // MQTT-3.1.2-10 / 5.0 3.14.4
        }
        connection.transport().close(null);
    }

    void onConnectionClosed(ClientConnection connection, CloseReason reason) {
        Will will = connection.willDiscarded() ? null : connection.connectPacket().will();
        ClientSession session = connection.session();
        if (session == null || !session.detach(connection)) {
            // refused, or another connection holds the session now: that session goes on, so a delayed will
            // is not due (5.0 3.1.3.2.2); an immediate one is.
            if (will != null && will.delayIntervalSeconds() == 0) {
                publishWill(connection, will);
            }
            return;
        }
        long expiry = session.expiryIntervalSeconds();
        long offlineSince = session.offlineSince();
        if (will != null) {
            long delay = Math.min(will.delayIntervalSeconds(), expiry);
            if (delay == 0 || sessions.get(connection.clientId()) != session) {
                // no delay, or the session has ended already: a clean start of the client id replaced it (3.1.4)
                publishWill(connection, will);
            } else {
                // MQTT-3.1.3-9: after the delay or when the session ends, whichever is first; not at all if
                // the client reconnects to the session before.
                Runnable publish = () -> publishWill(connection, will);
                session.pendingWill(publish);
                scheduler.schedule(() -> {
                    if (session.owner() == null && session.offlineSince() == offlineSince
                            && session.takePendingWill(publish)) {
                        publish.run();
                    }
                }, delay, TimeUnit.SECONDS);
            }
        }
        if (expiry == 0) {
            endSession(session, offlineSince);
        } else if (expiry != ConnectPacket.SESSION_NEVER_EXPIRES) {
            scheduler.schedule(() -> endSession(session, offlineSince), expiry, TimeUnit.SECONDS);
        }
    }

    private void publishWill(ClientConnection connection, Will will) {
        router.publish(new Message(will.topic(), will.payload(), will.qos(), will.retain(), will.properties(),
                connection.clientId()));
    }

    private void endSession(ClientSession session, long offlineSince) {
        if (sessions.removeIfOffline(session, offlineSince)) {
            router.forget(session);
            store.sessionEnded(session.clientId());
        }
    }
}
