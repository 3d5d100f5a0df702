package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real nodes in one cluster (issue 8): publish on one node, receive on the other at every QoS and in order;
 * retained messages cluster-wide; a message goes only to nodes with a matching subscriber (their forwarded-message
 * counters); a client id is unique in the cluster (a connection on the other node takes over, DISCONNECT 0x8E).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterIT extends TwoNodes {

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @Override
    String clusterName() {
        return "cluster";
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    private Mqtt5BlockingClient connected(int node, String prefix) {
        Mqtt5BlockingClient client = HiveClients.connected(cluster.node(node), Ids.clientId(prefix));
        clients.add(client);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void messagesPublishedOnOneNodeReachASubscriberOnTheOtherAtEveryQosInOrder() throws Exception {
        String topic = Ids.topicRoot("cl-qos") + "/a";
        Mqtt5BlockingClient subscriber = connected(1, "cl-sub");
        Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt5BlockingClient publisher = connected(0, "cl-pub");

        for (MqttQos qos : MqttQos.values()) {
            Mqtt5PublishResult result = publisher.publishWith().topic(topic).qos(qos).payload(bytes("at " + qos))
                    .send();
            // the only subscriber is on the other node: its confirmation counts as a matching subscriber
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
                assertThat(qos1.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            } else if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result qos2) {
                assertThat(qos2.getPubRec().getReasonCode()).isEqualTo(Mqtt5PubRecReasonCode.SUCCESS);
            }
            Optional<Mqtt5Publish> got = received.receive(15, TimeUnit.SECONDS);
            assertThat(got).as("QoS %s across nodes", qos).isPresent();
            assertThat(text(got.get())).isEqualTo("at " + qos);
            assertThat(got.get().getQos()).isEqualTo(qos);
        }

        // MQTT-4.6.0-6: in the order received, per topic and QoS (a QoS 0 message may overtake queued QoS 1/2 ones)
        int count = 300;
        List<List<String>> sent = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < count; i++) {
            MqttQos qos = MqttQos.fromCode(i % 3);
            publisher.publishWith().topic(topic).qos(qos).payload(bytes("m" + i)).send();
            sent.get(qos.getCode()).add("m" + i);
        }
        List<List<String>> got = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < count; i++) {
            Optional<Mqtt5Publish> next = received.receive(15, TimeUnit.SECONDS);
            assertThat(next).as("message %d of %d; so far %s", i, count, got).isPresent();
            got.get(next.get().getQos().getCode()).add(text(next.get()));
        }
        for (MqttQos qos : MqttQos.values()) {
            assertThat(got.get(qos.getCode())).as("QoS %s in the order published", qos)
                    .containsExactlyElementsOf(sent.get(qos.getCode()));
        }
    }

    @Test
    void retainedMessagesAreClusterWide() throws Exception {
        String root = Ids.topicRoot("cl-retain");
        String topic = root + "/r";
        Mqtt5BlockingClient publisher = connected(0, "cl-rpub");
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("kept")).send();

        Mqtt5BlockingClient late = connected(1, "cl-rsub");
        Mqtt5BlockingClient.Mqtt5Publishes received = late.publishes(MqttGlobalPublishFilter.ALL);
        late.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> got = received.receive(15, TimeUnit.SECONDS);
        assertThat(got).as("retained message set on node 0, subscribed on node 1").isPresent();
        assertThat(text(got.get())).isEqualTo("kept");
        assertThat(got.get().isRetain()).isTrue();

        // deleted on node 1: a new subscriber on node 0 gets nothing
        late.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
        Mqtt5BlockingClient another = connected(0, "cl-rsub2");
        Mqtt5BlockingClient.Mqtt5Publishes none = another.publishes(MqttGlobalPublishFilter.ALL);
        another.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(none.receive(2, TimeUnit.SECONDS)).as("retained message deleted on the other node").isEmpty();
    }

    @Test
    void aNodeWithoutMatchingSubscribersReceivesNothing() throws Exception {
        String root = Ids.topicRoot("cl-fwd");
        Mqtt5BlockingClient subscriber = connected(0, "cl-fsub");
        Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        subscriber.subscribeWith().topicFilter(root + "/+").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient localPublisher = connected(0, "cl-fpub0");
        Mqtt5BlockingClient remotePublisher = connected(1, "cl-fpub1");
        Await.sleep(Duration.ofMillis(1500)); // counters settle (logged at most once a second)
        long[] node0Before = cluster.forwarded(0);
        long[] node1Before = cluster.forwarded(1);

        int local = 20;
        for (int i = 0; i < local; i++) {
            localPublisher.publishWith().topic(root + "/x").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("l" + i)).send();
            // nobody subscribes to this one anywhere: no node gets it
            remotePublisher.publishWith().topic(Ids.topicRoot("cl-nobody") + "/y").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(bytes("n" + i)).send();
        }
        int remote = 5;
        for (int i = 0; i < remote; i++) {
            remotePublisher.publishWith().topic(root + "/z").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("r" + i))
                    .send();
        }
        for (int i = 0; i < local + remote; i++) {
            assertThat(received.receive(15, TimeUnit.SECONDS)).as("message %d", i).isPresent();
        }
        // node 1 forwarded exactly its 5 matching messages and node 0 received them ...
        Await.until(Duration.ofSeconds(10), () -> cluster.forwarded(1)[1] - node1Before[1] == remote
                        && cluster.forwarded(0)[0] - node0Before[0] == remote,
                () -> "forwarded counters: node 0 " + java.util.Arrays.toString(cluster.forwarded(0)) + ", node 1 "
                        + java.util.Arrays.toString(cluster.forwarded(1)) + "\n" + cluster.describe());
        Await.sleep(Duration.ofMillis(1500));
        // ... while node 0 forwarded none of its 20 (node 1 has no subscriber) and node 1 received nothing
        assertThat(cluster.forwarded(0)[1] - node0Before[1]).as("node 0 forwarded").isZero();
        assertThat(cluster.forwarded(1)[0] - node1Before[0]).as("node 1 received").isZero();
    }

    @Test
    void aClientIdConnectingOnTheOtherNodeTakesTheConnectionOver() throws Exception {
        String clientId = Ids.clientId("cl-takeover");
        CompletableFuture<Throwable> firstDisconnected = new CompletableFuture<>();
        Mqtt5BlockingClient first = HiveClients.builder(cluster.node(0), clientId)
                .addDisconnectedListener(context -> firstDisconnected.complete(context.getCause()))
                .buildBlocking();
        clients.add(first);
        HiveClients.connect(first);

        RunningBroker other = cluster.node(1);
        Mqtt5BlockingClient second = HiveClients.client(other, clientId);
        clients.add(second);
        HiveClients.connect(second);

        Throwable cause = firstDisconnected.get(15, TimeUnit.SECONDS);
        assertThat(cause).as("the connection on node 0 ends with a DISCONNECT from node 0")
                .isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(second.getState().isConnected()).as("the connection on node 1 stays up").isTrue();

        // the client's subscription now lives on node 1 only: a publish on node 0 reaches it there
        String topic = Ids.topicRoot("cl-takeover") + "/t";
        Mqtt5BlockingClient.Mqtt5Publishes received = second.publishes(MqttGlobalPublishFilter.ALL);
        second.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        connected(0, "cl-tpub").publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("after"))
                .send();
        Optional<Mqtt5Publish> got = received.receive(15, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        assertThat(text(got.get())).isEqualTo("after");
    }

    @Test
    void aMqtt311ClientIdConnectingOnTheOtherNodeClosesTheOlderConnection() throws Exception {
        String clientId = Ids.clientId("cl-takeover311");
        RecordingCallback first = new RecordingCallback();
        MqttClient firstClient = PahoClients.connect(cluster.node(0), clientId, true, first);
        RecordingCallback second = new RecordingCallback();
        MqttClient secondClient = PahoClients.connect(cluster.node(1), clientId, true, second);
        try {
            assertThat(first.awaitConnectionLost(Duration.ofSeconds(15))).as("the connection on node 0 is closed")
                    .isNotNull();
            assertThat(secondClient.isConnected()).isTrue();
            assertThat(second.connectionLost()).as("the connection on node 1 stays up").isFalse();
        } finally {
            PahoClients.closeQuietly(firstClient);
            PahoClients.closeQuietly(secondClient);
        }
    }

    /** Last: it stops node 1. */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenANodeLeavesItsSubscriptionsGoWithItAndPublishersAreStillAcknowledged() throws Exception {
        String topic = Ids.topicRoot("cl-leave") + "/t";
        Mqtt5BlockingClient subscriber = connected(1, "cl-lsub");
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient publisher = connected(0, "cl-lpub");
        Mqtt5PublishResult before = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("before")).send();
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) before).getPubAck().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        cluster.stop(1);
        Await.until(Duration.ofSeconds(60), () -> cluster.logged(0, "MQTT cluster: 1 node"),
                () -> "node 0 did not see node 1 leave\n" + cluster.describe());

        // node 1's subscriber went with it: node 0 owes nobody a copy and acknowledges at once
        Mqtt5PublishResult after = publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("after")).send();
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) after).getPubAck().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(publisher.getState().isConnected()).isTrue();
    }
}
