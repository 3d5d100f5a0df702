package org.eemqtt.web.websocket;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * MQTT over WebSocket at {@code /mqtt}: on the HTTP listener as ws://, on the HTTPS listener as wss:// (nothing here
 * depends on the scheme). One instance per session; the protocol work is {@link WebSocketConnection}'s.
 */
@ServerEndpoint(value = "/mqtt", subprotocols = {"mqtt", "mqttv3.1.1", "mqttv3.1"},
        configurator = MqttSubprotocols.class)
public class MqttWebSocketEndpoint {

    private static final Logger LOG = Logger.getLogger(MqttWebSocketEndpoint.class.getName());

    @Inject
    WebSocketTransport transport;

    private WebSocketConnection connection;

    @OnOpen
    public void open(Session session) {
        String subprotocol = session.getNegotiatedSubprotocol();
        if (subprotocol == null || subprotocol.isEmpty()) {
            // MQTT-6.0.0-3/4: an MQTT client offers "mqtt" (older ones "mqttv3.1(.1)"); anything else is not MQTT
            LOG.info(() -> "MQTT ws " + RemoteAddress.of(session) + ": no MQTT subprotocol offered; closed");
            FrameSender.closeSession(session, new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR,
                    "subprotocol mqtt required"));
            return;
        }
        connection = new WebSocketConnection(session, transport);
        connection.open();
    }

    /** Binary data as it arrives, frame parts included: MQTT packets need not align with frames (MQTT-6.0.0-2). */
    @OnMessage
    public void binary(ByteBuffer bytes, boolean last) {
        if (connection != null) {
            connection.received(bytes);
        }
    }

    @OnMessage
    public void text(String text, boolean last, Session session) {
        if (connection != null) {
            connection.textReceived();
        } else {
            FrameSender.closeSession(session, new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, null));
        }
    }

    @OnClose
    public void closed(Session session, CloseReason reason) {
        if (connection != null) {
            connection.ended(org.eemqtt.api.CloseReason.PEER_CLOSED);
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        if (error instanceof IOException) {
            LOG.log(Level.FINE, "MQTT ws " + RemoteAddress.of(session) + ": " + error);
        } else {
            LOG.log(Level.WARNING, "MQTT ws " + RemoteAddress.of(session) + ": error; connection closed", error);
        }
        if (connection != null) {
            connection.ended(org.eemqtt.api.CloseReason.NETWORK_ERROR);
        }
        FrameSender.closeSession(session, new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, null));
    }
}
