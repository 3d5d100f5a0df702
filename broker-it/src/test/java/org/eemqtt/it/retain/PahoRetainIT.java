package org.eemqtt.it.retain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RecordingCallback.Received;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retained messages with Eclipse Paho (MQTT 3.1.1, 3.3.1.3): stored per topic, replaced, deleted, and sent to new
 * subscriptions with RETAIN 1. "Nothing else" is checked after a later message has arrived, plus a grace time.
 */
@ExtendWith(BrokerExtension.class)
class PahoRetainIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final List<MqttClient> clients = new ArrayList<>();
    private final List<String> retainedTopics = new ArrayList<>();

    @AfterEach
    void deleteRetainedAndClose(RunningBroker broker) throws Exception {
        if (!retainedTopics.isEmpty()) {
            MqttClient cleaner = connect(broker, "ret-clean", null);
            for (String topic : retainedTopics) {
                cleaner.publish(topic, new byte[0], 1, true);
            }
        }
        clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void retainedMessageOutlivesItsPublisherAndReachesNewSubscribersWithRetainSet(RunningBroker broker)
            throws Exception {
        String topic = Ids.topicRoot("ret-new") + "/a";
        MqttClient publisher = connect(broker, "ret-pub", null);
        publishRetained(publisher, topic, "state-1", 1);
        PahoClients.closeQuietly(publisher); // MQTT-3.1.2-7: retained messages are not part of its session

        RecordingCallback received = subscriber(broker, topic.substring(0, topic.lastIndexOf('/')) + "/+", 1);
        Received message = received.next(WAIT);
        assertThat(message.topic()).isEqualTo(topic);
        assertThat(message.text()).isEqualTo("state-1");
        assertThat(message.qos()).isEqualTo(1);
        assertThat(message.retained()).as("sent for a new subscription: RETAIN 1 (MQTT-3.3.1-8)").isTrue();
    }

    @Test
    void newerRetainedMessageReplacesTheOlder(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("ret-replace");
        MqttClient publisher = connect(broker, "ret-pub", null);
        publishRetained(publisher, topic, "v1", 1);
        publishRetained(publisher, topic, "v2", 0); // MQTT-3.3.1-7: a QoS 0 retained message replaces too

        RecordingCallback received = subscriber(broker, topic, 1);
        Received message = received.next(WAIT);
        assertThat(message.text()).isEqualTo("v2");
        assertThat(message.qos()).isZero();
        Await.sleep(GRACE);
        assertThat(received.all()).extracting(Received::text).as("one retained message per topic")
                .containsExactly("v2");
    }

    @Test
    void emptyRetainedPayloadIsForwardedAndDeletesTheRetainedMessage(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("ret-delete");
        MqttClient publisher = connect(broker, "ret-pub", null);
        publishRetained(publisher, root + "/a", "on", 1);
        publishRetained(publisher, root + "/control", "control", 1);

        RecordingCallback live = subscriber(broker, root + "/a", 1);
        assertThat(live.next(WAIT).text()).isEqualTo("on");
        publisher.publish(root + "/a", new byte[0], 1, true);
        // MQTT-3.3.1-10: processed as normal: current subscribers get it, with RETAIN 0
        Received forwarded = live.next(WAIT);
        assertThat(forwarded.payload()).isEmpty();
        assertThat(forwarded.retained()).isFalse();

        RecordingCallback later = subscriber(broker, root + "/#", 1);
        assertThat(later.next(WAIT).topic()).isEqualTo(root + "/control");
        Await.sleep(GRACE);
        assertThat(later.all()).extracting(Received::topic)
                .as("the deleted retained message is not sent, nor an empty one stored (MQTT-3.3.1-11)")
                .containsExactly(root + "/control");
    }

    @Test
    void nonRetainedPublishLeavesTheRetainedMessage(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("ret-keep");
        MqttClient publisher = connect(broker, "ret-pub", null);
        publishRetained(publisher, topic, "kept", 1);
        publisher.publish(topic, PahoClients.utf8("live only"), 1, false); // MQTT-3.3.1-12

        RecordingCallback received = subscriber(broker, topic, 1);
        assertThat(received.next(WAIT).text()).isEqualTo("kept");
        Await.sleep(GRACE);
        assertThat(received.all()).extracting(Received::text).containsExactly("kept");
    }

    @ParameterizedTest(name = "retained at QoS {0}, subscribed at QoS {1} -> QoS {2}")
    @CsvSource({"2, 1, 1", "1, 2, 1", "2, 0, 0", "0, 2, 0", "2, 2, 2"})
    void retainedMessageComesAtTheMinimumOfPublishedAndGrantedQos(int publishedQos, int subscribedQos,
                                                                  int expectedQos, RunningBroker broker)
            throws Exception {
        String topic = Ids.topicRoot("ret-qos");
        publishRetained(connect(broker, "ret-pub", null), topic, "qos", publishedQos);

        RecordingCallback received = subscriber(broker, topic, subscribedQos);
        Received message = received.next(WAIT);
        assertThat(message.qos()).as("MQTT-3.8.4-6").isEqualTo(expectedQos);
        assertThat(message.retained()).isTrue();
    }

    private void publishRetained(MqttClient publisher, String topic, String text, int qos) throws Exception {
        retainedTopics.add(topic);
        publisher.publish(topic, PahoClients.utf8(text), qos, true);
        if (qos == 0) {
            // QoS 0 completes when written; a QoS 1 PUBACK on the same connection comes after it was handled.
            publisher.publish(Ids.topicRoot("ret-sync"), PahoClients.utf8("sync"), 1, false);
        }
    }

    private RecordingCallback subscriber(RunningBroker broker, String filter, int qos) throws Exception {
        RecordingCallback callback = new RecordingCallback();
        connect(broker, "ret-sub", callback).subscribe(filter, qos);
        return callback;
    }

    private MqttClient connect(RunningBroker broker, String prefix, RecordingCallback callback) throws Exception {
        MqttClient client = PahoClients.connect(broker, Ids.clientId(prefix), true, callback);
        clients.add(client);
        return client;
    }
}
