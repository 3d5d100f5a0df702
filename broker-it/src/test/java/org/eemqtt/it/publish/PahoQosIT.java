package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
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
import org.junit.jupiter.params.provider.ValueSource;

/** PUBLISH at QoS 0/1/2 with Eclipse Paho (MQTT 3.1.1): payload, QoS and the subscription's maximum QoS. */
@ExtendWith(BrokerExtension.class)
class PahoQosIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void roundTripKeepsPayloadAndQos(int qos, RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("paho-qos") + "/q" + qos;
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        IMqttToken subAck = subscriber.subscribeWithResponse(topic, 2);
        assertThat(subAck.getGrantedQos()).as("granted QoS in SUBACK").containsExactly(2);

        MqttClient publisher = connect(broker, "paho-pub", null);
        byte[] payload = PahoClients.utf8("hello at QoS " + qos + " " + Ids.suffix());
        publisher.publish(topic, payload, qos, false);

        Received message = received.next(WAIT);
        assertThat(message.topic()).isEqualTo(topic);
        assertThat(message.payload()).isEqualTo(payload);
        assertThat(message.qos()).as("QoS of the delivered PUBLISH").isEqualTo(qos);
        assertThat(message.retained()).isFalse();
    }

    @ParameterizedTest(name = "subscription max QoS {0}, published QoS {1} -> delivered QoS {2}")
    @CsvSource({"1, 2, 1", "0, 2, 0", "0, 1, 0", "1, 1, 1", "2, 1, 1", "2, 0, 0"})
    void deliveredQosIsTheMinimumOfPublishedAndGranted(int subscriptionQos, int publishQos, int expectedQos,
                                                       RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("paho-downgrade");
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        IMqttToken subAck = subscriber.subscribeWithResponse(topic, subscriptionQos);
        assertThat(subAck.getGrantedQos()).as("granted QoS in SUBACK").containsExactly(subscriptionQos);

        MqttClient publisher = connect(broker, "paho-pub", null);
        byte[] payload = PahoClients.utf8("downgrade " + subscriptionQos + "/" + publishQos);
        publisher.publish(topic, payload, publishQos, false);

        Received message = received.next(WAIT);
        assertThat(message.payload()).isEqualTo(payload);
        assertThat(message.qos()).as("QoS of the delivered PUBLISH").isEqualTo(expectedQos);
    }

    @Test
    void hundredKibPayloadArrivesByteExact(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("paho-large");
        byte[] payload = new byte[100 * 1024];
        new Random(4711).nextBytes(payload);

        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        subscriber.subscribe(topic, 1);
        MqttClient publisher = connect(broker, "paho-pub", null);
        publisher.publish(topic, payload, 1, false);

        Received message = received.next(WAIT);
        assertThat(message.payload().length).isEqualTo(payload.length);
        assertThat(message.payload()).as("100 KiB payload, byte by byte").isEqualTo(payload);
    }

    @Test
    void qos1MessagesOnOneTopicArriveInOrder(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("paho-order");
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = connect(broker, "paho-sub", received);
        subscriber.subscribe(topic, 1);
        MqttClient publisher = connect(broker, "paho-pub", null);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("m" + i);
            publisher.publish(topic, PahoClients.utf8("m" + i), 1, false);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            got.add(received.next(WAIT).text());
        }
        assertThat(got).as("MQTT 4.6: ordered delivery on one topic at QoS 1").isEqualTo(sent);
    }

    private MqttClient connect(RunningBroker broker, String prefix, RecordingCallback callback) throws Exception {
        MqttClient client = PahoClients.connect(broker, Ids.clientId(prefix), true, callback);
        clients.add(client);
        return client;
    }
}
