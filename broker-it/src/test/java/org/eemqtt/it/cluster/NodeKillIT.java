package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8: a node killed with SIGKILL in the middle of a QoS 1 stream. Its persistent subscriber reconnects to the
 * other node and finds its session (Session Present 1) and every message that was acknowledged to the publisher
 * (QoS 1 allows duplicates: counted, not refused); the will of a connection that was open on the killed node is
 * published by the other node.
 */
class NodeKillIT extends SharedSessions {

    private static final Logger LOG = Logger.getLogger(NodeKillIT.class.getName());
    private static final int MESSAGES = 2000;
    private static final int KILL_AFTER_ACKS = 600;

    @Override
    String clusterName() {
        return "kill";
    }

    @Override
    Map<String, String> extraSettings() {
        // the subscriber is offline for most of the stream: its queue must hold it (default 1000 messages)
        return Map.of("mqtt.session.max.queued", String.valueOf(2 * MESSAGES));
    }

    @Test
    void theSessionsOfAKilledNodeAndEveryAcknowledgedMessageAreFoundOnTheOtherNode() throws Exception {
        String root = Ids.topicRoot("kill");
        String subscriberId = Ids.clientId("kill-sub");
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();

        Mqtt5BlockingClient subscriber = HiveClients.client(cluster.node(0), subscriberId);
        subscriber.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> record(p, received, duplicates));
        connectPersistent(subscriber);
        subscriber.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();

        String willTopic = Ids.topicRoot("kill-will") + "/node0";
        Mqtt5BlockingClient watcher = HiveClients.connected(cluster.node(1), Ids.clientId("kill-watch"));
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter(willTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient dying = HiveClients.client(cluster.node(0), Ids.clientId("kill-will"));
        connectPersistent(dying, b -> b.willPublish().topic(willTopic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("node 0 died")).applyWillPublish());

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Thread killer = new Thread(() -> {
            try {
                Await.until(Duration.ofSeconds(120), () -> acknowledged.size() >= KILL_AFTER_ACKS,
                        () -> "the stream did not reach " + KILL_AFTER_ACKS + " acknowledgements");
                cluster.kill(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "kill-node-0");
        killer.start();
        int reconnects = publishStream(root + "/stream", acknowledged);
        killer.join(60_000);
        assertThat(cluster.node(0).process().isAlive()).as("node 0 was killed mid-stream").isFalse();
        Await.until(Duration.ofSeconds(60), () -> cluster.logged(1, "MQTT cluster: 1 node"),
                () -> "node 1 did not see node 0 go\n" + cluster.describe());

        int beforeKill = received.size();
        Mqtt5BlockingClient back = HiveClients.client(cluster.node(1), subscriberId);
        back.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> record(p, received, duplicates));
        try {
            assertThat(connectPersistent(back).isSessionPresent()).as("Session Present on node 1").isTrue();
            Await.until(Duration.ofSeconds(60), () -> received.containsAll(acknowledged),
                    () -> "acknowledged but not received: " + missing(acknowledged, received) + "\n"
                            + cluster.describe());
            Optional<Mqtt5Publish> will = wills.receive(60, TimeUnit.SECONDS);
            assertThat(will).as("the will of the connection on the killed node, published by node 1").isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("node 0 died");
            LOG.info(() -> "Node kill: " + acknowledged.size() + " of " + MESSAGES + " acknowledged (publisher "
                    + "reconnected " + reconnects + " times), " + beforeKill + " received before the kill, "
                    + received.size() + " in all, " + duplicates.get() + " duplicates");
        } finally {
            HiveClients.disconnectQuietly(back);
            HiveClients.disconnectQuietly(watcher);
        }
    }

    private static void record(Mqtt5Publish publish, Set<Integer> received, AtomicInteger duplicates) {
        int id = Integer.parseInt(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
        if (!received.add(id)) {
            duplicates.incrementAndGet();
        }
    }

    private static Set<Integer> missing(Set<Integer> acknowledged, Set<Integer> received) {
        Set<Integer> missing = new java.util.TreeSet<>(acknowledged);
        missing.removeAll(received);
        return missing;
    }

    /**
     * Publishes {@code MESSAGES} QoS 1 messages from node 1, one at a time, and records those acknowledged. A
     * message whose forward to the killed node was not confirmed is not acknowledged: the broker closes the
     * connection, and the publisher connects again and goes on with the next one (the unacknowledged one does not
     * count). Returns the number of reconnects.
     */
    private int publishStream(String topic, Set<Integer> acknowledged) {
        int reconnects = 0;
        Mqtt5BlockingClient publisher = HiveClients.connected(cluster.node(1), Ids.clientId("kill-pub"));
        try {
            for (int i = 0; i < MESSAGES; i++) {
                try {
                    Mqtt5PublishResult result = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(bytes(String.valueOf(i))).send();
                    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
                            && qos1.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.SUCCESS) {
                        acknowledged.add(i);
                    }
                } catch (RuntimeException notAcknowledged) {
                    reconnects++;
                    HiveClients.disconnectQuietly(publisher);
                    publisher = HiveClients.connected(cluster.node(1), Ids.clientId("kill-pub"));
                }
            }
        } finally {
            HiveClients.disconnectQuietly(publisher);
        }
        return reconnects;
    }
}
