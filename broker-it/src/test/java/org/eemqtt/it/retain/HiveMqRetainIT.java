package org.eemqtt.it.retain;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT 5.0 subscription options for retained messages with the HiveMQ client: Retain Handling 0/1/2 and Retain As
 * Published (3.8.3.1). "No retained message" is checked by a live control message being the next one to arrive.
 */
@ExtendWith(BrokerExtension.class)
class HiveMqRetainIT {

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient.Mqtt5Publishes> streams = new ArrayList<>();
    private final List<String> retainedTopics = new ArrayList<>();
    private Mqtt5BlockingClient publisher;

    @AfterEach
    void deleteRetainedAndClose() {
        if (publisher != null) {
            retainedTopics.forEach(topic -> publisher.publishWith().topic(topic).retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).send()); // empty payload: deletes the retained message
        }
        streams.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void retainHandling0SendsRetainedMessagesOnEverySubscribe(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-rh0");
        publishRetained(broker, topic, "kept");
        Mqtt5BlockingClient subscriber = connect(broker, "hive-rh0");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        for (int i = 1; i <= 2; i++) {
            subscribe(subscriber, topic, Mqtt5RetainHandling.SEND, false);
            Mqtt5Publish message = receive(incoming);
            assertThat(text(message)).as("SUBSCRIBE %d", i).isEqualTo("kept");
            assertThat(message.isRetain()).isTrue();
        }
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-rh1");
        publishRetained(broker, topic, "kept");
        Mqtt5BlockingClient subscriber = connect(broker, "hive-rh1");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        subscribe(subscriber, topic, Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, false);
        assertThat(text(receive(incoming))).isEqualTo("kept");
        subscribe(subscriber, topic, Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, false);
        assertNextIsLiveControl(incoming, topic);
    }

    @Test
    void retainHandling2SendsNoRetainedMessages(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-rh2");
        publishRetained(broker, topic, "kept");
        Mqtt5BlockingClient subscriber = connect(broker, "hive-rh2");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        subscribe(subscriber, topic, Mqtt5RetainHandling.DO_NOT_SEND, false);
        assertNextIsLiveControl(incoming, topic);
    }

    @Test
    void retainAsPublishedDecidesTheRetainFlagOfLiveForwards(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-rap");
        Mqtt5BlockingClient keeps = connect(broker, "hive-rap1");
        Mqtt5BlockingClient.Mqtt5Publishes keepsIncoming = incoming(keeps);
        subscribe(keeps, topic, Mqtt5RetainHandling.DO_NOT_SEND, true);
        Mqtt5BlockingClient clears = connect(broker, "hive-rap0");
        Mqtt5BlockingClient.Mqtt5Publishes clearsIncoming = incoming(clears);
        subscribe(clears, topic, Mqtt5RetainHandling.DO_NOT_SEND, false);

        publishRetained(broker, topic, "live and retained");
        assertThat(receive(keepsIncoming).isRetain()).as("Retain As Published 1: RETAIN as received (MQTT-3.3.1-13)")
                .isTrue();
        assertThat(receive(clearsIncoming).isRetain()).as("Retain As Published 0: RETAIN 0 (MQTT-3.3.1-12)")
                .isFalse();
    }

    private void publishRetained(RunningBroker broker, String topic, String text) {
        if (publisher == null) {
            publisher = connect(broker, "hive-rpub");
        }
        retainedTopics.add(topic);
        publisher.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** A non-retained message to the topic must be the next to arrive: no retained message came before it. */
    private void assertNextIsLiveControl(Mqtt5BlockingClient.Mqtt5Publishes incoming, String topic)
            throws InterruptedException {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("control".getBytes(StandardCharsets.UTF_8)).send();
        Mqtt5Publish next = receive(incoming);
        assertThat(text(next)).as("next message; a retained one may not come first").isEqualTo("control");
        assertThat(next.isRetain()).isFalse();
    }

    private static void subscribe(Mqtt5BlockingClient client, String topic, Mqtt5RetainHandling handling,
                                  boolean retainAsPublished) {
        client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).retainHandling(handling)
                .retainAsPublished(retainAsPublished).send();
    }

    private Mqtt5BlockingClient connect(RunningBroker broker, String prefix) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId(prefix));
        clients.add(client);
        HiveClients.connect(client);
        return client;
    }

    private Mqtt5BlockingClient.Mqtt5Publishes incoming(Mqtt5BlockingClient client) {
        Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(publishes);
        return publishes;
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes incoming) throws InterruptedException {
        Optional<Mqtt5Publish> message = incoming.receive(15, TimeUnit.SECONDS);
        assertThat(message).as("a PUBLISH within 15 s").isPresent();
        return message.get();
    }

    private static String text(Mqtt5Publish message) {
        return new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
