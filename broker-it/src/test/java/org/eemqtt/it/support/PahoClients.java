package org.eemqtt.it.support;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho v3 clients set up for the tests: MQTT 3.1.1, guest/guest, memory persistence, no auto reconnect. */
public final class PahoClients {

    private PahoClients() {
    }

    public static MqttClient create(RunningBroker broker, String clientId) {
        try {
            return new MqttClient(broker.tcpUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for MQTT 3.1.1 with guest/guest. */
    public static MqttConnectOptions options(boolean cleanSession) {
        return options(MqttConnectOptions.MQTT_VERSION_3_1_1, cleanSession, MqttPackets.GUEST);
    }

    public static MqttConnectOptions options(int mqttVersion, boolean cleanSession, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(mqttVersion);
        o.setUserName(MqttPackets.GUEST);
        o.setPassword(password.toCharArray());
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(15);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(100);
        return o;
    }

    /** Creates a client, sets the callback (if any) and connects with MQTT 3.1.1. */
    public static MqttClient connect(RunningBroker broker, String clientId, boolean cleanSession,
                                     RecordingCallback callback) throws MqttException {
        MqttClient client = create(broker, clientId);
        if (callback != null) {
            client.setCallback(callback);
        }
        client.connect(options(cleanSession));
        return client;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Disconnects (if connected) and closes, ignoring errors: for cleanup after a test. */
    public static void closeQuietly(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
        } catch (MqttException ignored) {
            // best effort
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(1_000, 1_000);
            }
            client.close();
        } catch (MqttException ignored) {
            // best effort
        }
    }

    /**
     * Logs in as guest with {@code password} (MQTT 3.1.1, clean session) on a broker this test started itself, and
     * disconnects; a refused login throws the client's MqttException (e.g. REASON_CODE_FAILED_AUTHENTICATION).
     */
    public static void loginAsGuest(int port, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://" + ItSettings.HOST + ":" + port, Ids.clientId("login"),
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(MqttPackets.GUEST);
        options.setPassword(password.toCharArray());
        try {
            client.connect(options);
            if (!client.isConnected()) {
                throw new AssertionError("not connected after a successful CONNECT on port " + port);
            }
            client.disconnect();
        } finally {
            client.close();
        }
    }
}
