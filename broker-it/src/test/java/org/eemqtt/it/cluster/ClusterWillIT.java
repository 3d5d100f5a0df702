package org.eemqtt.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.eemqtt.it.will.WillPackets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Wills across two real nodes (issue 8: "wills ... work across nodes as on one node"): the will of a client of
 * node 0 reaches a subscriber on node 1 when its connection drops, after its delay, and when the client id starts
 * a clean session on the other node; a normal DISCONNECT discards it there too. The dying clients are raw sockets
 * (a client library always ends with DISCONNECT).
 */
class ClusterWillIT extends TwoNodes {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @Override
    String clusterName() {
        return "cluster-will";
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void theWillOfADroppedConnectionReachesASubscriberOnTheOtherNode() throws Exception {
        String root = Ids.topicRoot("clw-drop");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(1, root + "/#");
        try (RawConnection dying = RawConnection.open(cluster.node(0))) {
            // 3.1.1, will QoS 1 retained: the connection closes without DISCONNECT (MQTT-3.1.2-8)
            dying.send(WillPackets.connect311(Ids.clientId("clw-drop"), 30, true, root + "/dead", "gone", 1, true));
            assertConnAccepted(dying.readPacket(WAIT));
        }
        Mqtt5Publish will = receive(watcher);
        assertThat(will.getTopic().toString()).isEqualTo(root + "/dead");
        assertThat(text(will)).isEqualTo("gone");
        assertThat(will.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);

        // the will was retained: a later subscriber on node 1 gets it from the cluster's retained messages
        Mqtt5BlockingClient.Mqtt5Publishes late = watch(1, root + "/dead");
        Mqtt5Publish retained = receive(late);
        assertThat(text(retained)).isEqualTo("gone");
        assertThat(retained.isRetain()).isTrue();
        clearRetained(root + "/dead");
    }

    @Test
    void aNormalDisconnectDiscardsTheWillOnEveryNode() throws Exception {
        String root = Ids.topicRoot("clw-normal");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(1, root + "/#");
        try (RawConnection leaving = RawConnection.open(cluster.node(0))) {
            leaving.send(WillPackets.connect311(Ids.clientId("clw-normal"), 30, true, root + "/dead", "gone", 1,
                    false));
            assertConnAccepted(leaving.readPacket(WAIT));
            leaving.send(MqttPackets.DISCONNECT); // MQTT-3.14.4-3: the will is discarded
        }
        assertNextIsControl(watcher, root);
    }

    @Test
    void aDelayedWillIsPublishedOnTheOtherNodeWhenItsDelayHasPassed() throws Exception {
        String root = Ids.topicRoot("clw-delay");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(1, root + "/#");
        long closed;
        try (RawConnection dying = RawConnection.open(cluster.node(0))) {
            // 5.0: session expiry 60 s, will delay 2 s
            dying.send(WillPackets.connect5(Ids.clientId("clw-delay"), 30, 60, root + "/dead", "gone", 2));
            assertConnAccepted(dying.readPacket(WAIT));
            closed = System.nanoTime();
        }
        assertThat(watcher.receive(1_000, TimeUnit.MILLISECONDS)).as("no will before its delay").isEmpty();
        Mqtt5Publish will = receive(watcher);
        long afterMillis = (System.nanoTime() - closed) / 1_000_000;
        assertThat(will.getTopic().toString()).isEqualTo(root + "/dead");
        assertThat(afterMillis).as("will after %d ms", afterMillis).isGreaterThanOrEqualTo(1_900L);
    }

    @Test
    void aCleanStartOnTheOtherNodeEndsTheSessionAndPublishesItsDelayedWill() throws Exception {
        String root = Ids.topicRoot("clw-clean");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(0, root + "/#");
        String id = Ids.clientId("clw-clean");
        try (RawConnection first = RawConnection.open(cluster.node(0))) {
            // will delay 60 s: only the end of the session can make it due now
            first.send(WillPackets.connect5(id, 30, 60, root + "/dead", "gone", 60));
            assertConnAccepted(first.readPacket(WAIT));
            Mqtt5BlockingClient second = HiveClients.client(cluster.node(1), id);
            clients.add(second);
            HiveClients.connect(second); // clean start 1 on node 1 takes over
            Packet disconnect = first.readPacket(WAIT);
            // MQTT-3.1.4-3: E0 LL 8E = DISCONNECT, Session taken over
            assertThat(disconnect.type()).as("packet %s", disconnect).isEqualTo(Packet.DISCONNECT);
            assertThat(disconnect.disconnectReason()).isEqualTo(0x8E);
        }
        Optional<Mqtt5Publish> will = watcher.receive(10, TimeUnit.SECONDS);
        assertThat(will).as("the will of the session that the other node's clean start ended").isPresent();
        assertThat(will.get().getTopic().toString()).isEqualTo(root + "/dead");
        assertNextIsControl(watcher, root);
    }

    private Mqtt5BlockingClient.Mqtt5Publishes watch(int node, String filter) {
        Mqtt5BlockingClient watcher = HiveClients.connected(cluster.node(node), Ids.clientId("clw-watch"));
        clients.add(watcher);
        Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return publishes;
    }

    /** Publishes root/control on node 0 and asserts it is the next (and so the only) message the watcher gets. */
    private void assertNextIsControl(Mqtt5BlockingClient.Mqtt5Publishes watcher, String root)
            throws InterruptedException {
        Mqtt5BlockingClient publisher = HiveClients.connected(cluster.node(0), Ids.clientId("clw-ctl"));
        clients.add(publisher);
        publisher.publishWith().topic(root + "/control").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("control"))
                .send();
        assertThat(receive(watcher).getTopic().toString()).as("next message after the will's chance")
                .isEqualTo(root + "/control");
    }

    private void clearRetained(String topic) {
        RunningBroker node = cluster.node(0);
        Mqtt5BlockingClient cleaner = HiveClients.connected(node, Ids.clientId("clw-clear"));
        clients.add(cleaner);
        cleaner.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
    }

    private static void assertConnAccepted(Packet connAck) {
        assertThat(connAck.type()).as("packet %s", connAck).isEqualTo(Packet.CONNACK);
        assertThat(connAck.connackCode()).as("return code of %s", connAck).isZero();
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes watcher) throws InterruptedException {
        Optional<Mqtt5Publish> message = watcher.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", WAIT).isPresent();
        return message.get();
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
