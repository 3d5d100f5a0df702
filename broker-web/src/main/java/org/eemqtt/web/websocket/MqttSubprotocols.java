package org.eemqtt.web.websocket;

import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;

/**
 * Chooses the WebSocket subprotocol: "mqtt" whenever the client offers it (MQTT-6.0.0-4), else the older names
 * "mqttv3.1.1" and "mqttv3.1" that some 3.x clients (Paho JavaScript for 3.1) still send. A client offering none of
 * them gets no subprotocol; the endpoint then closes the session (see {@link MqttWebSocketEndpoint#open}).
 */
public final class MqttSubprotocols extends ServerEndpointConfig.Configurator {

    /** In order of preference, whatever order the client lists them in. */
    static final List<String> SUPPORTED = List.of("mqtt", "mqttv3.1.1", "mqttv3.1");

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String name : SUPPORTED) {
            if (requested.contains(name)) {
                return name;
            }
        }
        return "";
    }
}
