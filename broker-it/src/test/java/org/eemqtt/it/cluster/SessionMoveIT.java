package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RecordingCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8: persistent sessions move between two real nodes that share one store. A client that connects to the
 * other node finds its session there (Session Present 1) with its subscriptions and every message queued for it,
 * once and in order; the messages of a connection that is taken over unacknowledged are re-sent with DUP; a clean
 * start discards the session.
 */
class SessionMoveIT extends SharedSessions {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @Override
    String clusterName() {
        return "moves";
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
        clients.clear();
    }

    private Mqtt5BlockingClient client(int node, String clientId) {
        Mqtt5BlockingClient client = HiveClients.client(cluster.node(node), clientId);
        clients.add(client);
        return client;
    }

    private Mqtt5BlockingClient publisher(int node) {
        Mqtt5BlockingClient client = client(node, Ids.clientId("mv-pub"));
        HiveClients.connect(client);
        return client;
    }

    private static void publish(Mqtt5BlockingClient publisher, String topic, String payload) {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(payload)).send();
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aPersistent5SessionMovesToTheOtherNodeWithItsSubscriptionAndEveryQueuedMessageOnceInOrder()
            throws Exception {
        String root = Ids.topicRoot("mv5");
        String id = Ids.clientId("mv5");
        Mqtt5BlockingClient first = client(0, id);
        connectPersistent(first);
        first.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();
        Mqtt5BlockingClient on1 = publisher(1);
        Mqtt5BlockingClient on0 = publisher(0);
        int count = 50;
        for (int i = 0; i < count; i++) {
            publish(on1, root + "/from1", "a" + i); // forwarded to node 0, queued there
            publish(on0, root + "/from0", "b" + i); // queued on node 0 directly
        }

        Mqtt5BlockingClient moved = client(1, id);
        Mqtt5BlockingClient.Mqtt5Publishes received = moved.publishes(MqttGlobalPublishFilter.ALL);
        assertThat(connectPersistent(moved).isSessionPresent()).as("Session Present on the other node").isTrue();

        Map<String, List<String>> byTopic = new LinkedHashMap<>();
        for (int i = 0; i < 2 * count; i++) {
            Optional<Mqtt5Publish> next = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next).as("message %d of %d; so far %s", i, 2 * count, byTopic).isPresent();
            byTopic.computeIfAbsent(next.get().getTopic().toString(), t -> new ArrayList<>()).add(text(next.get()));
        }
        assertThat(received.receive(1, TimeUnit.SECONDS)).as("nothing twice").isEmpty();
        assertThat(byTopic.get(root + "/from1")).containsExactlyElementsOf(numbered("a", count));
        assertThat(byTopic.get(root + "/from0")).containsExactlyElementsOf(numbered("b", count));

        // the subscription moved with the session: published on node 0 now, it arrives on node 1
        publish(on0, root + "/later", "after the move");
        Optional<Mqtt5Publish> later = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(later).isPresent();
        assertThat(text(later.get())).isEqualTo("after the move");
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(prefix + i);
        }
        return list;
    }

    @Test
    void aPersistent311SessionMovesToTheOtherNode() throws Exception {
        String root = Ids.topicRoot("mv311");
        String id = Ids.clientId("mv311");
        MqttClient first = PahoClients.connect(cluster.node(0), id, false, null);
        try {
            first.subscribe(root + "/#", 1);
            first.disconnect();
        } finally {
            PahoClients.closeQuietly(first);
        }
        Mqtt5BlockingClient on1 = publisher(1);
        for (int i = 0; i < 20; i++) {
            publish(on1, root + "/t", "m" + i);
        }

        RecordingCallback callback = new RecordingCallback();
        MqttClient moved = PahoClients.create(cluster.node(1), id);
        try {
            moved.setCallback(callback);
            boolean present = moved.connectWithResult(PahoClients.options(false)).getSessionPresent();
            assertThat(present).as("Session Present on the other node").isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RecordingCallback.Received next = callback.next(WAIT);
                assertThat(next).as("message %d; so far %s", i, got).isNotNull();
                got.add(next.text());
            }
            assertThat(got).containsExactlyElementsOf(numbered("m", 20));
            moved.disconnect();
        } finally {
            PahoClients.closeQuietly(moved);
        }
    }

    @Test
    void aConnectedSessionTakenOverOnTheOtherNodeGetsItsUnacknowledgedMessagesAgainWithDup() throws Exception {
        String root = Ids.topicRoot("mvdup");
        String id = Ids.clientId("mvdup");
        List<Integer> packetIds = new ArrayList<>();
        try (RawConnection old = RawConnection.open(cluster.node(0))) {
            old.send(MqttPackets.connect("MQTT", 4, false, id, MqttPackets.GUEST, MqttPackets.GUEST, 60, false));
            assertThat(old.readPacket(WAIT).type()).isEqualTo(Packet.CONNACK);
            old.send(MqttPackets.subscribe(1, root + "/#", 1, false));
            assertThat(old.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            Mqtt5BlockingClient on1 = publisher(1);
            for (int i = 0; i < 3; i++) {
                publish(on1, root + "/t", "unacked" + i);
            }
            for (int i = 0; i < 3; i++) {
                Packet publish = old.readPacket(WAIT);
                assertThat(publish.type()).isEqualTo(Packet.PUBLISH);
                assertThat(publish.flags() & 0x08).as("first delivery: DUP 0").isZero();
                packetIds.add(publishPacketId(publish));
                // no PUBACK: the messages stay in flight
            }

            try (RawConnection moved = RawConnection.open(cluster.node(1))) {
                moved.send(MqttPackets.connect("MQTT", 4, false, id, MqttPackets.GUEST, MqttPackets.GUEST, 60,
                        false));
                Packet connack = moved.readPacket(WAIT);
                assertThat(connack.type()).isEqualTo(Packet.CONNACK);
                assertThat(connack.sessionPresent()).isTrue();
                old.awaitClose(WAIT); // node 0 closed the connection it held
                for (int i = 0; i < 3; i++) {
                    Packet again = moved.readPacket(WAIT);
                    assertThat(again.type()).isEqualTo(Packet.PUBLISH);
                    assertThat(again.flags() & 0x08).as("re-sent: DUP 1 (MQTT-3.3.1-1)").isNotZero();
                    assertThat(publishPacketId(again)).isEqualTo(packetIds.get(i));
                    assertThat(publishPayload(again)).isEqualTo("unacked" + i);
                    moved.send(MqttPackets.puback(packetIds.get(i)));
                }
                moved.disconnectAndAwaitClose();
            }
        }
    }

    /** A QoS 1/2 PUBLISH (3.1.1 layout): topic (length-prefixed), packet id, payload. */
    private static int publishPacketId(Packet publish) {
        int topicLength = ((publish.body()[0] & 0xFF) << 8) | (publish.body()[1] & 0xFF);
        return ((publish.body()[2 + topicLength] & 0xFF) << 8) | (publish.body()[3 + topicLength] & 0xFF);
    }

    private static String publishPayload(Packet publish) {
        int topicLength = ((publish.body()[0] & 0xFF) << 8) | (publish.body()[1] & 0xFF);
        int start = 4 + topicLength;
        return new String(publish.body(), start, publish.body().length - start, StandardCharsets.UTF_8);
    }

    @Test
    void aCleanStartOnTheOtherNodeDiscardsTheSession() throws Exception {
        String root = Ids.topicRoot("mvclean");
        String id = Ids.clientId("mvclean");
        Mqtt5BlockingClient first = client(0, id);
        connectPersistent(first);
        first.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();
        publish(publisher(1), root + "/t", "for the old session");

        Mqtt5BlockingClient clean = client(1, id);
        Mqtt5BlockingClient.Mqtt5Publishes received = clean.publishes(MqttGlobalPublishFilter.ALL);
        assertThat(connectPersistent(clean, b -> b.cleanStart(true)).isSessionPresent()).isFalse();
        assertThat(received.receive(2, TimeUnit.SECONDS)).as("the old session's message is gone with it").isEmpty();
        clean.disconnect();

        // nor is it stored any more: back on node 0, the session is the new (empty) one
        Mqtt5BlockingClient back = client(0, id);
        Mqtt5BlockingClient.Mqtt5Publishes none = back.publishes(MqttGlobalPublishFilter.ALL);
        assertThat(connectPersistent(back).isSessionPresent()).isTrue();
        assertThat(none.receive(2, TimeUnit.SECONDS)).isEmpty();
    }
}
