package org.eemqtt.connector;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnectionListener;
import org.eemqtt.api.packet.ConnectPacket;

import java.util.concurrent.TimeUnit;

/**
 * Delivers one CONNECT to the broker through the inbound contract. The endpoint is released at once: the broker
 * returns a plain handler for the connection's later packets.
 */
final class ConnectWork implements Work {

    /**
     * How long a CONNECT may wait for a free message endpoint. The container pools them (32 by default) and Payara
     * refuses at once when all are busy, whatever timeout is asked for; during a reconnect storm a short wait beats
     * refusing the client with "server unavailable".
     */
    private static final long ENDPOINT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_PAUSE_MILLIS = 5;

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
            endpoint = createEndpoint();
            ConnectionHandler handler = ((MqttConnectionListener) endpoint).connect(bridge, connect);
            bridge.connected(handler);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // the work manager's thread keeps its interrupt status
            }
            bridge.connectFailed(e);
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
        }
    }

    private MessageEndpoint createEndpoint() throws UnavailableException, InterruptedException {
        long deadline = System.nanoTime() + ENDPOINT_WAIT_NANOS;
        while (true) {
            try {
                return endpointFactory.createEndpoint(null);
            } catch (UnavailableException busy) {
                if (System.nanoTime() - deadline > 0) {
                    throw busy;
                }
                Thread.sleep(RETRY_PAUSE_MILLIS);
            }
        }
    }

    @Override
    public void release() {
        // run() blocks only in the bounded wait for an endpoint; nothing to cut short
    }
}
