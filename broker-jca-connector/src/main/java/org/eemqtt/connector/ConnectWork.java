package org.eemqtt.connector;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnectionListener;
import org.eemqtt.api.packet.ConnectPacket;

/**
 * Delivers one CONNECT to the broker through the inbound contract. The endpoint is released at once: the broker
 * returns a plain handler for the connection's later packets.
 */
final class ConnectWork implements Work {

    private final MessageEndpointFactory endpointFactory;
    private final ConnectionBridge bridge;
    private final ConnectPacket connect;

    ConnectWork(MessageEndpointFactory endpointFactory, ConnectionBridge bridge, ConnectPacket connect) {
        this.endpointFactory = endpointFactory;
        this.bridge = bridge;
        this.connect = connect;
    }

    @Override
    public void run() {
        MessageEndpoint endpoint = null;
        try {
            endpoint = endpointFactory.createEndpoint(null);
            ConnectionHandler handler = ((MqttConnectionListener) endpoint).connect(bridge, connect);
            bridge.connected(handler);
        } catch (Throwable e) {
            bridge.connectFailed(e);
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
        }
    }

    @Override
    public void release() {
        // run() does not block on anything that release() could interrupt
    }
}
