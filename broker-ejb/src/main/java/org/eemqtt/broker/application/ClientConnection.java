package org.eemqtt.broker.application;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PingRespPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.UnsubscribePacket;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One network connection of a client, after CONNECT: dispatches its packets to the flow that handles each concern
 * and answers protocol errors. Packets arrive from one transport thread at a time.
 */
final class ClientConnection implements ConnectionHandler {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    private final MqttConnection transport;
    private final ConnectPacket connect;
    private final String clientId;
    private final BrokerFlows flows;
    private final TopicAliases topicAliases;
    private final int receiveMaximum;
    /** Inbound QoS 1/2 PUBLISHes not yet acknowledged (QoS 2: until PUBCOMP): 5.0 flow control. */
    private final AtomicInteger inboundUnacknowledged = new AtomicInteger();
    private final Instant connectedAt = Instant.now();
    private ClientSession session;
    /** Set when CONNECT carried an Authentication Method: AUTH after CONNACK re-authenticates (5.0 4.12.1). */
    private ReAuthentication reauthentication;
    private volatile boolean open = true;
    private volatile boolean willDiscarded;
    private volatile boolean takenOver;

    /**
     * @param protocol the broker's limits: our Receive Maximum and Topic Alias Maximum apply to 5.0 clients
     */
    ClientConnection(MqttConnection transport, ConnectPacket connect, String clientId, BrokerFlows flows,
                     ProtocolSettings protocol) {
        this.transport = transport;
        this.connect = connect;
        this.clientId = clientId;
        this.flows = flows;
        boolean v5 = connect.version() == MqttVersion.V5;
        this.topicAliases = new TopicAliases(v5 ? protocol.topicAliasMaximum() : 0,
                v5 ? connect.topicAliasMaximum() : 0);
        this.receiveMaximum = v5 ? protocol.receiveMaximum() : Integer.MAX_VALUE;
    }

    @Override
    public void onPacket(MqttPacket packet) {
        if (!open) {
            return;
        }
        if (packet instanceof PublishPacket publish) {
            flows.publish().onPublish(this, publish);
        } else if (packet instanceof PubAckPacket ack) {
            session.acknowledged(ack.packetId());
        } else if (packet instanceof PubRecPacket rec) {
            flows.publish().onPubRec(this, rec);
        } else if (packet instanceof PubRelPacket rel) {
            flows.publish().onPubRel(this, rel);
        } else if (packet instanceof PubCompPacket comp) {
            session.completed(comp.packetId());
        } else if (packet instanceof SubscribePacket subscribe) {
            flows.subscribe().onSubscribe(this, subscribe);
        } else if (packet instanceof UnsubscribePacket unsubscribe) {
            flows.subscribe().onUnsubscribe(this, unsubscribe);
        } else if (packet instanceof PingReqPacket) {
            transport.send(PingRespPacket.INSTANCE);
        } else if (packet instanceof DisconnectPacket disconnect) {
            flows.connect().onDisconnect(this, disconnect);
        } else if (packet instanceof AuthPacket auth) {
            if (reauthentication == null) {
                protocolError("AUTH without an Authentication Method in CONNECT"); // MQTT-4.12.0-7
            } else {
                reauthentication.onAuth(this, auth);
            }
        } else if (packet instanceof ConnectPacket) {
            protocolError("second CONNECT on one connection");
        } else {
            protocolError(packet.getClass().getSimpleName().replace("Packet", "").toUpperCase()
                    + " is not sent by clients");
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        open = false;
        flows.connect().onConnectionClosed(this, reason);
    }

    /** MQTT-4.8.0-1 / 5.0 4.13: a protocol error closes the connection (5.0: DISCONNECT 0x82 first). */
    void protocolError(String detail) {
        closeWithError(DisconnectReasonCode.PROTOCOL_ERROR, detail);
    }

    void closeWithError(DisconnectReasonCode reason, String detail) {
        LOG.info(() -> "MQTT " + transport.listenerName() + " " + transport.remoteAddress() + " client '" + clientId
                + "': " + detail + "; connection closed");
        close(reason, detail);
    }

    /** Closes the connection, telling a 5.0 client why. */
    void close(DisconnectReasonCode reason, String reasonString) {
        open = false;
        boolean withReason = reasonString != null && sendReasonStrings()
                && disconnectSizeWithReason(reasonString) <= connect.maximumPacketSize();
        transport.close(isV5() ? DisconnectPacket.of(reason, withReason ? reasonString : null) : null);
    }

    /**
     * The largest a DISCONNECT with this Reason String can be: fixed header with a 4-byte remaining length, reason
     * code, 4-byte property length, property id, string length and bytes. MQTT-3.14.2-3: the Reason String is left
     * out when it would take the packet beyond the client's Maximum Packet Size.
     */
    static long disconnectSizeWithReason(String reasonString) {
        return 1 + 4 + 1 + 4 + 1 + 2 + (long) PublishSize.utf8Length(reasonString);
    }

    void send(MqttPacket packet) {
        if (packet instanceof PublishPacket publish) {
            transport.send(topicAliases.apply(publish, connect.maximumPacketSize()));
        } else {
            transport.send(packet);
        }
    }

    TopicAliases topicAliases() {
        return topicAliases;
    }

    /**
     * An inbound QoS 1/2 PUBLISH begins; false when it exceeds our Receive Maximum (MQTT-3.3.4-9 / 5.0 4.9: the
     * client may have at most that many unacknowledged).
     */
    boolean inboundStarted() {
        return inboundUnacknowledged.incrementAndGet() <= receiveMaximum;
    }

    /** An inbound QoS 1/2 PUBLISH was acknowledged for good (PUBACK, PUBCOMP, or a PUBREC with an error). */
    void inboundFinished() {
        // floor 0: a PUBREL may finish a QoS 2 flow begun on an earlier connection of the session
        inboundUnacknowledged.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    boolean isV5() {
        return connect.version() == MqttVersion.V5;
    }

    /** MQTT 5.0 3.1.2.11.7: reason strings only when the client did not ask to go without them. */
    boolean sendReasonStrings() {
        return connect.requestProblemInformation();
    }

    String clientId() {
        return clientId;
    }

    /** The authenticated user name (with SCRAM, the one the exchange proved), or null for an anonymous client. */
    String username() {
        return connect.username();
    }

    Instant connectedAt() {
        return connectedAt;
    }

    ConnectPacket connectPacket() {
        return connect;
    }

    MqttConnection transport() {
        return transport;
    }

    ClientSession session() {
        return session;
    }

    void session(ClientSession session) {
        this.session = session;
    }

    void reauthentication(ReAuthentication enhancedAuth) {
        this.reauthentication = enhancedAuth;
    }

    boolean willDiscarded() {
        return willDiscarded;
    }

    void discardWill() {
        willDiscarded = true;
    }

    boolean takenOver() {
        return takenOver;
    }

    /** Another connection took this client id over: close this one, keeping the session for the new one. */
    void takeOver() {
        takenOver = true;
        LOG.info(() -> "MQTT client '" + clientId + "' connected again; the older connection from "
                + transport.remoteAddress() + " is closed (session taken over)");
        close(DisconnectReasonCode.SESSION_TAKEN_OVER, "another connection took the session over");
    }
}
