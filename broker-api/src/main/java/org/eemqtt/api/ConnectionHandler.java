package org.eemqtt.api;

import org.eemqtt.api.packet.MqttPacket;

/**
 * The broker's side of one network connection: the transport hands it every packet after CONNECT, in order, from
 * one thread at a time. Implementations must not block.
 */
public interface ConnectionHandler {

    /** A decoded, well-formed packet from the client. */
    void onPacket(MqttPacket packet);

    /** The connection is gone; called once, whoever closed it. */
    void onClosed(CloseReason reason);
}
