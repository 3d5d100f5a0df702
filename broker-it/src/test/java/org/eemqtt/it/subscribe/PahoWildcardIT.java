package org.eemqtt.it.subscribe;

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
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SUBSCRIBE/UNSUBSCRIBE with wildcards, Eclipse Paho (MQTT 3.1.1). Non-matching topics are published first and a
 * matching one last; once the last one has arrived (plus a short grace time for stragglers), the set of received
 * topics must be exactly the matching ones.
 */
@ExtendWith(BrokerExtension.class)
class PahoWildcardIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void plusMatchesExactlyOneLevel(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho-plus");
        assertReceivedExactly(broker, root + "/+/temp",
                List.of(root + "/a/b/temp", root + "/temp", root + "/kitchen/humidity", root + "/kitchen/temp/x"),
                List.of(root + "/kitchen/temp", root + "/hall/temp", root + "//temp"));
    }

    @Test
    void hashMatchesTheParentAndEveryLevelBelow(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho-hash");
        assertReceivedExactly(broker, root + "/house/#",
                List.of(root + "/houses/a", root + "/garden/house", root + "/hous"),
                List.of(root + "/house", root + "/house/a", root + "/house/a/b/c"));
    }

    @Test
    void plusAndHashTogether(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho-mixed");
        assertReceivedExactly(broker, root + "/+/status/#",
                List.of(root + "/status", root + "/a/b/status", root + "/a/state/x"),
                List.of(root + "/a/status", root + "/b/status/x/y"));
    }

    @Test
    void unsubscribeStopsDelivery(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho-unsub");
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        subscriber.subscribe(root + "/+", 1);
        subscriber.subscribe(root + "-control", 1);
        subscriber.unsubscribe(root + "/+");

        MqttClient publisher = connect(broker, "paho-pub", null);
        publisher.publish(root + "/gone", PahoClients.utf8("must not arrive"), 1, false);
        publisher.publish(root + "-control", PahoClients.utf8("control"), 1, false);

        assertThat(received.next(WAIT).topic()).isEqualTo(root + "-control");
        Await.sleep(GRACE);
        assertThat(received.all()).extracting(RecordingCallback.Received::topic)
                .as("nothing may arrive for the filter after UNSUBSCRIBE")
                .containsExactly(root + "-control");
    }

    private void assertReceivedExactly(RunningBroker broker, String filter, List<String> nonMatching,
                                       List<String> matching) throws Exception {
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        subscriber.subscribe(filter, 1);

        MqttClient publisher = connect(broker, "paho-pub", null);
        for (String topic : nonMatching) {
            publisher.publish(topic, PahoClients.utf8("no match: " + topic), 1, false);
        }
        for (String topic : matching) {
            publisher.publish(topic, PahoClients.utf8("match: " + topic), 1, false);
        }
        for (int i = 0; i < matching.size(); i++) {
            received.next(WAIT);
        }
        Await.sleep(GRACE);
        assertThat(received.all()).extracting(RecordingCallback.Received::topic)
                .as("topics delivered for filter %s", filter)
                .containsExactlyInAnyOrderElementsOf(matching);
    }

    private MqttClient connect(RunningBroker broker, String prefix, RecordingCallback callback) throws Exception {
        MqttClient client = PahoClients.connect(broker, Ids.clientId(prefix), true, callback);
        clients.add(client);
        return client;
    }
}
