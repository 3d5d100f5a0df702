package org.eemqtt.api;

import org.eemqtt.api.packet.ConnectPacket;

/**
 * The message listener interface of the resource adapter's inbound contract: a message-driven bean in the broker
 * implements it. A transport calls it once per network connection, when the CONNECT packet has arrived, and then
 * talks to the returned handler with plain method calls (no container call per packet).
 */
public interface MqttConnectionListener {

    /**
     * Hands a new connection to the broker. The broker answers with a CONNACK through {@code connection} (possibly
     * later, when its store has completed) and returns the handler for every later packet of this connection.
     */
    ConnectionHandler connect(MqttConnection connection, ConnectPacket connect);
}
