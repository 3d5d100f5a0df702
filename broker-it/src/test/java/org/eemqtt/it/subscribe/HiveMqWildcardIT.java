package org.eemqtt.it.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
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
 * Wildcard subscriptions and UNSUBSCRIBE with the HiveMQ client (MQTT 5.0). Non-matching topics are published
 * first, the matching ones last; after the last match has arrived and a grace time has passed, nothing else may
 * have arrived.
 */
@ExtendWith(BrokerExtension.class)
class HiveMqWildcardIT {

    private static final long GRACE_MILLIS = 500;

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient.Mqtt5Publishes> streams = new ArrayList<>();

    @AfterEach
    void closeClients() {
        streams.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void plusMatchesExactlyOneLevel(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-plus");
        assertReceivedExactly(broker, root + "/+/temp",
                List.of(root + "/a/b/temp", root + "/temp", root + "/kitchen/temp/x"),
                List.of(root + "/kitchen/temp", root + "/hall/temp"));
    }

    @Test
    void hashMatchesTheParentAndEveryLevelBelow(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-hash");
        assertReceivedExactly(broker, root + "/house/#",
                List.of(root + "/houses/a", root + "/garden/house"),
                List.of(root + "/house", root + "/house/a", root + "/house/a/b/c"));
    }

    @Test
    void unsubscribeIsAcknowledgedAndStopsDelivery(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-unsub");
        Mqtt5BlockingClient subscriber = connect(broker, "hive-sub");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(incoming);
        subscriber.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        subscriber.subscribeWith().topicFilter(root + "-control").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5UnsubAck unsubAck = subscriber.unsubscribeWith().topicFilter(root + "/#").send();
        assertThat(unsubAck.getReasonCodes()).containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS);

        Mqtt5BlockingClient publisher = connect(broker, "hive-pub");
        publish(publisher, root + "/gone");
        publish(publisher, root + "-control");

        List<String> topics = drain(incoming, 1);
        assertThat(topics).as("nothing may arrive for the filter after UNSUBSCRIBE")
                .containsExactly(root + "-control");
    }

    private void assertReceivedExactly(RunningBroker broker, String filter, List<String> nonMatching,
                                       List<String> matching) throws Exception {
        Mqtt5BlockingClient subscriber = connect(broker, "hive-sub");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(incoming);
        subscriber.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient publisher = connect(broker, "hive-pub");
        nonMatching.forEach(topic -> publish(publisher, topic));
        matching.forEach(topic -> publish(publisher, topic));

        assertThat(drain(incoming, matching.size())).as("topics delivered for filter %s", filter)
                .containsExactlyInAnyOrderElementsOf(matching);
    }

    /** Waits for the expected count (15 s each), then collects whatever else arrives within the grace time. */
    private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes incoming, int expected)
            throws InterruptedException {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            Optional<Mqtt5Publish> message = incoming.receive(15, TimeUnit.SECONDS);
            assertThat(message).as("message %d of %d; got so far %s", i + 1, expected, topics).isPresent();
            topics.add(message.get().getTopic().toString());
        }
        Optional<Mqtt5Publish> extra;
        while ((extra = incoming.receive(GRACE_MILLIS, TimeUnit.MILLISECONDS)).isPresent()) {
            topics.add(extra.get().getTopic().toString());
        }
        return topics;
    }

    private static void publish(Mqtt5BlockingClient publisher, String topic) {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(topic.getBytes(StandardCharsets.UTF_8)).send();
    }

    private Mqtt5BlockingClient connect(RunningBroker broker, String prefix) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId(prefix));
        clients.add(client);
        HiveClients.connect(client);
        return client;
    }
}
