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
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Authorizer;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.StoredState.StoredWill;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** CONNECT, DISCONNECT and the end of connections: authentication, session take-over, resume and expiry, wills. */
final class ConnectFlow {

    private static final Logger LOG = Logger.getLogger(ConnectFlow.class.getName());
    private static final long CONNACK_STORE_TIMEOUT_SECONDS = 30;

    /** The handler of a refused connection: the transport is closing it, nothing more arrives that matters. */
    static final ConnectionHandler REFUSED = new ConnectionHandler() {
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
    private final ProtocolSettings protocol;
    private final Authorizer authorizer;
    private BrokerFlows flows;
    private EnhancedAuthFlow enhancedAuth;
    private Cluster cluster = Cluster.SINGLE_NODE;
    private SessionMoves moves;

    ConnectFlow(SessionRegistry sessions, Authenticator authenticator, SessionStore store, MessageRouter router,
                ScheduledExecutorService scheduler, ProtocolSettings protocol, Authorizer authorizer) {
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.store = store;
        this.router = router;
        this.scheduler = scheduler;
        this.protocol = protocol;
        this.authorizer = authorizer;
    }

    void flows(BrokerFlows brokerFlows) {
        this.flows = brokerFlows;
    }

    void cluster(Cluster clusterOfNodes) {
        this.cluster = clusterOfNodes;
    }

    void moves(SessionMoves sessionMoves) {
        this.moves = sessionMoves;
    }

    /** Enables MQTT 5.0 enhanced authentication; without it every Authentication Method is refused (0x8C). */
    void enhancedAuth(EnhancedAuthFlow enhancedAuthFlow) {
        this.enhancedAuth = enhancedAuthFlow;
    }

    /**
     * Handles CONNECT and returns the connection's handler. Runs on a container thread and returns once CONNACK is
     * on its way, so that the transport hands over later packets only after it; with an Authentication Method it
     * returns after the challenge instead, with a handler that finishes the connect without blocking.
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
        ConnectReasonCode willRefusal = willRefusal(connect);
        if (willRefusal != null) {
            return refuse(transport, willRefusal, "will " + willRefusal);
        }
        String id = clientId;
        String assigned = assignedClientId;
        if (connect.authenticationMethod() != null) {
            // 5.0 4.12: the method rules; a user name and password in the same CONNECT are not checked
            if (enhancedAuth == null) {
                return refuse(transport, ConnectReasonCode.BAD_AUTHENTICATION_METHOD,
                        "enhanced authentication is off"); // MQTT-4.12.0-1
            }
            return enhancedAuth.begin(transport, connect, authenticated ->
                    accept(transport, authenticated.connect(), id, assigned, authenticated));
        }
        String certificateUser = transport.certificateUsername();
        if (certificateUser != null) {
            // The TLS handshake verified the client certificate; its CN is the user, and no password is asked
            LOG.info(() -> "MQTT " + transport.listenerName() + " " + transport.remoteAddress() + " client '" + id
                    + "' logged in as '" + certificateUser + "' by its client certificate");
            return accept(transport, asUser(connect, certificateUser), id, assigned, null).join();
        }
        ConnectReasonCode login = authenticator.authenticate(connect.username(), connect.password(),
                transport.remoteAddress());
        if (login != ConnectReasonCode.SUCCESS) {
            return refuse(transport, login, null);
        }
        return accept(transport, connect, id, assigned, null).join();
    }

    private static ConnectPacket asUser(ConnectPacket c, String username) {
        return new ConnectPacket(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), username, null,
                c.will(), c.sessionExpiryInterval(), c.receiveMaximum(), c.maximumPacketSize(), c.topicAliasMaximum(),
                c.requestResponseInformation(), c.requestProblemInformation(), c.userProperties(),
                c.authenticationMethod(), c.authenticationData());
    }

    /**
     * Opens the session of an authenticated CONNECT and sends CONNACK once the store has it. Does not block: the
     * returned stage completes with the connection's handler (or the refusal's) within the store timeout.
     *
     * @param enhanced the SCRAM outcome for CONNACK's Authentication Data and later re-authentication, or null
     */
    private CompletableFuture<ConnectionHandler> accept(MqttConnection transport, ConnectPacket connect,
                                                        String clientId, String assignedClientId,
                                                        EnhancedAuthFlow.Authenticated enhanced) {
        authorizer.connected(connect.username());
        if (connect.will() != null
                && !authorizer.mayPublish(clientId, connect.username(), connect.will().topic())) {
            return CompletableFuture.completedFuture(
                    refuse(transport, ConnectReasonCode.NOT_AUTHORIZED, "will topic not authorized"));
        }
        ClientConnection connection = new ClientConnection(transport, connect, clientId, flows, protocol);
        if (enhanced != null) {
            connection.reauthentication(enhanced.reauthentication());
        }
        // a connection to the client id on another node is taken over first (client ids are unique cluster-wide),
        // and its session, handed over by then, is read from a shared store
        if (moves != null) {
            moves.claiming(clientId, connect.cleanStart());
        }
        return cluster.claimClient(clientId, connect.cleanStart()).toCompletableFuture()
                .thenCompose(claimed -> moves == null ? CompletableFuture.completedFuture(null)
                        : moves.fetch(clientId, connect.cleanStart()))
                .thenCompose(fetched -> open(transport, connect, clientId, assignedClientId, enhanced, connection));
    }

    private CompletableFuture<ConnectionHandler> open(MqttConnection transport, ConnectPacket connect,
                                                      String clientId, String assignedClientId,
                                                      EnhancedAuthFlow.Authenticated enhanced,
                                                      ClientConnection connection) {
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
        Integer serverKeepAlive = serverKeepAlive(connect);
        transport.keepAlive(serverKeepAlive == null ? connect.keepAliveSeconds() : serverKeepAlive);
        ConnAckProperties properties = connect.version().isV5()
                ? connAckProperties(connect, clientId, assignedClientId, serverKeepAlive) : ConnAckProperties.NONE;
        if (enhanced != null) {
            // MQTT-4.12.0-5: a successful CONNACK repeats the method; its data is the server-final-message
            properties = properties.withAuthentication(connect.authenticationMethod(), enhanced.serverFinal());
        }
        ConnAckPacket connAck = new ConnAckPacket(opened.present(), ConnectReasonCode.SUCCESS, properties);
        return store.sessionOpened(clientId, connect.cleanStart(), connect.sessionExpiryInterval(), connect.will())
                .toCompletableFuture()
                .thenApply(stored -> stored) // a stage of our own: the timeout must not complete the store's
                .orTimeout(CONNACK_STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((stored, error) -> {
                    if (error != null) {
                        LOG.log(Level.WARNING, "Session of client '" + clientId + "' could not be stored; CONNECT "
                                + "refused", error);
                        connection.discardWill(); // the connection was never accepted
                        onConnectionClosed(connection, CloseReason.CLOSED_BY_BROKER);
                        return refuse(transport, ConnectReasonCode.SERVER_UNAVAILABLE, null);
                    }
                    transport.send(connAck);
                    session.resume(connection, connect.receiveMaximum(), connect.maximumPacketSize());
                    LOG.fine(() -> "MQTT client '" + clientId + "' connected from " + transport.remoteAddress()
                            + " over " + transport.listenerName() + " (" + connect.version() + ", session present "
                            + opened.present() + ")");
                    return connection;
                });
    }

    /**
     * 5.0: a will the broker could not publish is refused at CONNECT: QoS above our Maximum QoS (MQTT-3.2.2-12,
     * 0x9B), retain while retain is unavailable (MQTT-3.2.2-13, 0x9A). 3.x has no way to say so: its will is
     * downgraded when published.
     */
    private ConnectReasonCode willRefusal(ConnectPacket connect) {
        Will will = connect.will();
        if (will == null || !connect.version().isV5()) {
            return null;
        }
        if (will.qos().value() > protocol.maximumQoS().value()) {
            return ConnectReasonCode.QOS_NOT_SUPPORTED;
        }
        return will.retain() && !protocol.retainAvailable() ? ConnectReasonCode.RETAIN_NOT_SUPPORTED : null;
    }

    /**
     * 5.0 Server Keep Alive (3.2.2.3.14): sent, and then used, when the client's keep-alive exceeds our maximum or is
     * 0 (none). 3.x clients cannot be told, so their own value stands.
     */
    private Integer serverKeepAlive(ConnectPacket connect) {
        if (!connect.version().isV5()) {
            return null;
        }
        int asked = connect.keepAliveSeconds();
        return asked == 0 || asked > protocol.maxKeepAliveSeconds() ? protocol.maxKeepAliveSeconds() : null;
    }

    /** CONNACK tells the truth about every limit and feature (5.0 3.2.2.3). */
    private ConnAckProperties connAckProperties(ConnectPacket connect, String clientId, String assignedClientId,
                                                Integer serverKeepAlive) {
        String responseInformation = connect.requestResponseInformation()
                && !protocol.responseInformation().isEmpty()
                ? protocol.responseInformation().replace("%c", clientId) : null;
        return new ConnAckProperties(null,
                protocol.receiveMaximum() == 65_535 ? null : protocol.receiveMaximum(),
                protocol.maximumQoS() == QoS.EXACTLY_ONCE ? null : protocol.maximumQoS().value(),
                protocol.retainAvailable(), (long) protocol.maxPacketSize(), assignedClientId,
                protocol.topicAliasMaximum() == 0 ? null : protocol.topicAliasMaximum(), null,
                true, true, protocol.sharedSubscriptions(), serverKeepAlive, responseInformation, null, null);
    }

    static ConnectionHandler refuse(MqttConnection transport, ConnectReasonCode code, String detail) {
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
                publishWill(connection.clientId(), will);
            }
            return;
        }
        if (sessions.get(connection.clientId()) != session) {
            // the session ended while this connection held it (taken over on another node): nothing to keep
            if (will != null) {
                publishWill(connection.clientId(), will);
            }
            return;
        }
        long expiry = session.expiryIntervalSeconds();
        long offlineSince = session.offlineSince();
        long now = System.currentTimeMillis();
        StoredWill pending = null;
        if (will != null) {
            long delay = Math.min(will.delayIntervalSeconds(), expiry);
            if (delay == 0 || sessions.get(connection.clientId()) != session) {
                // no delay, or the session has ended already: a clean start of the client id replaced it (3.1.4)
                publishWill(connection.clientId(), will);
            } else {
                // MQTT-3.1.3-9: after the delay or when the session ends, whichever is first; not at all if
                // the client reconnects to the session before.
                schedulePendingWill(session, will, offlineSince, delay * 1000);
                pending = new StoredWill(will, now + delay * 1000);
            }
        }
        if (expiry == 0) {
            endSession(session, offlineSince);
            return;
        }
        // lazy: a lost offline time only makes the session count as offline from the next start instead; the
        // stored will (the connection's, kept since CONNECT) becomes the pending one, or none
        store.sessionOffline(session.clientId(), expiry, now, pending);
        scheduleExpiry(session, offlineSince, expiry);
    }

    /** Publishes the session's will after {@code delayMillis}, unless the client reconnects to it before. */
    private void schedulePendingWill(ClientSession session, Will will, long offlineSince, long delayMillis) {
        String clientId = session.clientId();
        Runnable publish = () -> {
            publishWill(clientId, will);
            store.willDone(clientId); // lazy: a lost removal publishes the will again after a restart
        };
        session.pendingWill(publish);
        scheduler.schedule(() -> {
            if (session.owner() == null && session.offlineSince() == offlineSince
                    && session.takePendingWill(publish)) {
                publish.run();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The will a previous run stored for a restored (offline) session: due at its stored time, or, when its
     * connection was still open when that run ended (a crash closed it without DISCONNECT), its delay after now.
     * Scheduled like any pending will; returns true when it is due now, for the caller to publish once every
     * session is restored ({@link #publishStoredWill}).
     */
    boolean restoreWill(ClientSession session, StoredWill stored, long now) {
        long dueAt = stored.dueAtMillis() != 0 ? stored.dueAtMillis()
                : now + Math.min(stored.will().delayIntervalSeconds(), session.expiryIntervalSeconds()) * 1000;
        if (dueAt <= now) {
            return true;
        }
        schedulePendingWill(session, stored.will(), session.offlineSince(), dueAt - now);
        return false;
    }

    /** Publishes a will a previous run stored that is due now, and forgets it. */
    void publishStoredWill(String clientId, Will will) {
        publishWill(clientId, will);
        store.willDone(clientId);
    }

    /** Ends the offline session after {@code seconds}, unless it is reconnected by then (or never expires). */
    void scheduleExpiry(ClientSession session, long offlineSince, long seconds) {
        if (session.expiryIntervalSeconds() != ConnectPacket.SESSION_NEVER_EXPIRES) {
            scheduler.schedule(() -> endSession(session, offlineSince), seconds, TimeUnit.SECONDS);
        }
    }

    private void publishWill(String clientId, Will will) {
        // 3.x wills are not refused at CONNECT (see willRefusal): they are brought within the broker's limits here
        router.publish(new Message(will.topic(), will.payload(), QoS.min(will.qos(), protocol.maximumQoS()),
                will.retain() && protocol.retainAvailable(), will.properties(), clientId));
    }

    private void endSession(ClientSession session, long offlineSince) {
        if (sessions.removeIfOffline(session, offlineSince)) {
            router.forget(session);
            store.sessionEnded(session.clientId());
            cluster.releaseClient(session.clientId());
        }
    }
}
