package org.eemqtt.api;

import org.eemqtt.api.packet.MqttPacket;

/**
 * The transport's side of one network connection, as the broker sees it. Implemented by each transport (the
 * Netty listeners of the resource adapter, the WebSocket endpoint). Every method is thread-safe and non-blocking.
 */
public interface MqttConnection {

    /** Queues a packet for writing; the transport encodes it for the connection's protocol version. */
    void send(MqttPacket packet);

    /** Writes {@code lastPacket} (when not null), then closes the connection. */
    void close(MqttPacket lastPacket);

    /**
     * Arms the keep-alive: the transport closes the connection (and reports {@link CloseReason#KEEP_ALIVE_TIMEOUT})
     * when nothing arrives for one and a half times {@code seconds}. Zero switches it off.
     */
    void keepAlive(int seconds);

    /** The peer's address, for logs. */
    String remoteAddress();

    /** The listener that accepted the connection, for logs: "tcp", "tls", "ws", "wss". */
    String listenerName();

    /**
     * The user name the transport has already authenticated, from a client certificate its TLS handshake verified
     * (with {@code mqtt.tls.cn.as.username}: the certificate's CN), or null. When set, the broker logs the client
     * in as this user without a password, whatever the CONNECT says.
     */
    default String certificateUsername() {
        return null;
    }
}
