package org.eemqtt.it.support;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.nio.charset.StandardCharsets;

/** HiveMQ MQTT 5 clients for the tests. */
public final class HiveClients {

    private HiveClients() {
    }

    /** A builder pointing at the broker, with the given client identifier. */
    public static Mqtt5ClientBuilder builder(RunningBroker broker, String clientId) {
        return Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(broker.host())
                .serverPort(broker.port());
    }

    public static Mqtt5BlockingClient client(RunningBroker broker, String clientId) {
        return builder(broker, clientId).buildBlocking();
    }

    /** CONNECT with guest and the given password, clean start. */
    public static Mqtt5ConnAck connect(Mqtt5BlockingClient client, String password) {
        return client.connectWith()
                .simpleAuth()
                .username(MqttPackets.GUEST)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .cleanStart(true)
                .send();
    }

    public static Mqtt5ConnAck connect(Mqtt5BlockingClient client) {
        return connect(client, MqttPackets.GUEST);
    }

    /** A connected client (guest/guest, clean start). */
    public static Mqtt5BlockingClient connected(RunningBroker broker, String clientId) {
        Mqtt5BlockingClient client = client(broker, clientId);
        connect(client);
        return client;
    }

    /** Disconnects when connected, ignoring errors: for cleanup after a test. */
    public static void disconnectQuietly(Mqtt5BlockingClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // best effort
        }
    }
}
