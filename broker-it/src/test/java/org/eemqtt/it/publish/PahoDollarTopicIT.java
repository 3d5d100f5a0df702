package org.eemqtt.it.publish;

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
 * MQTT-4.7.2-1 with Eclipse Paho (MQTT 3.1.1): filters that start with a wildcard do not match topics that start
 * with '$'; a filter that names the '$' level does.
 */
@ExtendWith(BrokerExtension.class)
class PahoDollarTopicIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void leadingWildcardsDoNotMatchDollarTopics(RunningBroker broker) throws Exception {
        String suffix = Ids.suffix();
        String dollarTopic = "$it-sys/" + suffix + "/x"; // a $SYS-style topic of this test only
        String control = "it/dollar-" + suffix + "/x";

        MqttClient publisher = connect(broker, "dollar-pub", null);
        publisher.publish(dollarTopic + "/kept", PahoClients.utf8("retained"), 1, true);

        RecordingCallback wildcards = new RecordingCallback();
        MqttClient wide = connect(broker, "dollar-wild", wildcards);
        // '#' also gets retained messages other tests left; only this test's topics are looked at below
        wide.subscribe(new String[] {"#", "+/" + suffix + "/x", "+/+/+"}, new int[] {1, 1, 1});
        RecordingCallback named = new RecordingCallback();
        connect(broker, "dollar-named", named).subscribe("$it-sys/" + suffix + "/#", 1);

        publisher.publish(dollarTopic, PahoClients.utf8("system"), 1, false);
        publisher.publish(control, PahoClients.utf8("control"), 1, false);

        assertThat(named.next(WAIT).topic()).as("retained, for a filter naming the $ level")
                .isEqualTo(dollarTopic + "/kept");
        assertThat(named.next(WAIT).topic()).as("live, for a filter naming the $ level").isEqualTo(dollarTopic);
        Await.until(WAIT, () -> wildcards.all().stream().anyMatch(r -> r.topic().equals(control)),
                wildcards::describeAll);
        Await.sleep(Duration.ofMillis(500));
        assertThat(wildcards.all()).extracting(RecordingCallback.Received::topic)
                .as("'#', '+/%s/x' and '+/+/+' must not match %s", suffix, dollarTopic)
                .doesNotContain(dollarTopic, dollarTopic + "/kept") // neither live nor retained
                .filteredOn(topic -> topic.equals(control)).hasSize(1); // one copy for the two filters that match it
        publisher.publish(dollarTopic + "/kept", new byte[0], 1, true); // delete the retained message
    }

    private MqttClient connect(RunningBroker broker, String prefix, RecordingCallback callback) throws Exception {
        MqttClient client = PahoClients.connect(broker, Ids.clientId(prefix), true, callback);
        clients.add(client);
        return client;
    }
}
