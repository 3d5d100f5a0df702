package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.ClusterNodes;
import org.eemqtt.it.support.FreePorts;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, {@code mqtt.storage=hazelcast} on two real nodes: retained messages set through one node survive its
 * kill -9 (the other node's member holds their backups); and the choice refuses to start a node without clustering.
 */
class HazelcastStorageIT {

    private static final int TOPICS = 40;

    @Test
    void retainedMessagesSetOnANodeSurviveItsKill() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start("hz-retained", new HazelcastStorage().brokerSettings())) {
            String root = Ids.topicRoot("hz-retained");
            Mqtt5BlockingClient publisher = HiveClients.connected(cluster.node(0), Ids.clientId("hz-ret-pub"));
            // many topics: their entries are spread over partitions that either member owns
            for (int i = 0; i < TOPICS; i++) {
                publisher.publishWith().topic(root + "/" + i).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .payload(("kept " + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            cluster.kill(0);
            Await.until(Duration.ofSeconds(60), () -> cluster.logged(1, "MQTT cluster: 1 node"),
                    () -> "node 1 did not see node 0 go\n" + cluster.describe());

            Mqtt5BlockingClient subscriber = HiveClients.connected(cluster.node(1), Ids.clientId("hz-ret-sub"));
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Map<String, String> got = new HashMap<>();
                for (int i = 0; i < TOPICS; i++) {
                    Optional<Mqtt5Publish> p = publishes.receive(20, TimeUnit.SECONDS);
                    assertThat(p).as("retained message %d of %d after the kill\n%s", i + 1, TOPICS,
                            cluster.describe()).isPresent();
                    assertThat(p.get().isRetain()).isTrue();
                    got.put(p.get().getTopic().toString(), new String(p.get().getPayloadAsBytes(),
                            StandardCharsets.UTF_8));
                }
                for (int i = 0; i < TOPICS; i++) {
                    assertThat(got).containsEntry(root + "/" + i, "kept " + i);
                }
            } finally {
                HiveClients.disconnectQuietly(subscriber);
            }
        }
    }

    @Test
    void hazelcastStorageWithoutClusteringFailsTheStartWithTheReason() {
        int mqttPort = FreePorts.firstFree(ItSettings.mqttPort() + 40, 20);
        int httpPort = FreePorts.firstFree(ItSettings.httpPort() + 40, 20);
        try (BrokerProcess process = BrokerProcess.start("hz-no-cluster", Map.of("mqtt.storage", "hazelcast",
                "mqtt.tcp.port", String.valueOf(mqttPort), "mqtt.data.dir", "data"),
                List.of("--port", String.valueOf(httpPort)))) {
            Await.until(Duration.ofSeconds(180), () -> process.logText().contains(
                    "mqtt.storage=hazelcast needs mqtt.cluster.enabled=true"), () -> "no reason logged: "
                    + process.describe());
            assertThat(accepts(mqttPort)).as("no MQTT listener").isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(ItSettings.HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
