package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.eemqtt.it.support.MariaDbServer;
import org.eemqtt.it.support.MqttPackets;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The store two cluster nodes share in the session ITs, and the clients' persistent connects. The ITs take the
 * storage from {@link #storage()}: a subclass runs them on another storage by overriding it (e.g. the Hazelcast
 * storage instead of one MariaDB). Each class starts its two nodes ({@link TwoNodes}) on that storage.
 */
abstract class SharedSessions extends TwoNodes {

    private Storage storage;

    /** One storage the nodes share: the settings added to each node, and its end after the nodes stopped. */
    interface Storage extends AutoCloseable {
        Map<String, String> brokerSettings();

        @Override
        void close();
    }

    /** One private MariaDB, both nodes on its database (mqtt.db.url): the JPA store, shared. */
    static Storage mariaDb() {
        MariaDbServer db = MariaDbServer.start(Integer.getInteger("it.cluster.mariadb.port", 44306));
        return new Storage() {
            @Override
            public Map<String, String> brokerSettings() {
                return db.database().brokerSettings();
            }

            @Override
            public void close() {
                db.close();
            }
        };
    }

    /** The storage of this run: MariaDB unless a subclass says otherwise. */
    protected Storage storage() {
        return mariaDb();
    }

    /** Settings each node gets beyond the storage's. */
    Map<String, String> extraSettings() {
        return Map.of();
    }

    /** Starts the shared storage first: the nodes are given its settings. */
    @Override
    final Map<String, String> nodeSettings() {
        storage = storage();
        Map<String, String> settings = new HashMap<>(storage.brokerSettings());
        settings.putAll(extraSettings());
        return settings;
    }

    @Override
    void afterNodesStopped() {
        if (storage != null) {
            storage.close();
        }
    }

    /** 5.0 CONNECT as guest, clean start 0, session expiry one hour. */
    static Mqtt5ConnAck connectPersistent(Mqtt5BlockingClient client) {
        return connectPersistent(client, b -> b);
    }

    static Mqtt5ConnAck connectPersistent(Mqtt5BlockingClient client, UnaryOperator<Mqtt5ConnectBuilder> more) {
        Mqtt5ConnectBuilder builder = com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect.builder()
                .simpleAuth().username(MqttPackets.GUEST)
                .password(MqttPackets.GUEST.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .cleanStart(false).sessionExpiryInterval(3600);
        return client.connect(more.apply(builder).build());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
