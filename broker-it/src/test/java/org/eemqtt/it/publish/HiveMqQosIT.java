package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PUBLISH at QoS 0/1/2 with the HiveMQ client (MQTT 5.0). */
@ExtendWith(BrokerExtension.class)
class HiveMqQosIT {

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient.Mqtt5Publishes> streams = new ArrayList<>();

    @AfterEach
    void closeClients() {
        streams.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void roundTripKeepsPayloadAndQos(int qos, RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-qos") + "/q" + qos;
        Mqtt5BlockingClient subscriber = connect(broker, "hive-sub");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        Mqtt5SubAck subAck = subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);

        Mqtt5BlockingClient publisher = connect(broker, "hive-pub");
        byte[] payload = ("hello 5.0 at QoS " + qos + " " + Ids.suffix()).getBytes(StandardCharsets.UTF_8);
        publisher.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();

        Mqtt5Publish message = receive(incoming, topic);
        assertThat(message.getPayloadAsBytes()).isEqualTo(payload);
        assertThat(message.getQos().getCode()).as("QoS of the delivered PUBLISH").isEqualTo(qos);
        assertThat(message.isRetain()).isFalse();
    }

    @ParameterizedTest(name = "subscription max QoS {0}, published QoS {1} -> delivered QoS {2}")
    @CsvSource({"1, 2, 1", "0, 2, 0", "0, 1, 0"})
    void deliveredQosIsTheMinimumOfPublishedAndGranted(int subscriptionQos, int publishQos, int expectedQos,
                                                       RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-downgrade");
        Mqtt5BlockingClient subscriber = connect(broker, "hive-sub");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(subscriptionQos)).send();

        Mqtt5BlockingClient publisher = connect(broker, "hive-pub");
        publisher.publishWith().topic(topic).qos(MqttQos.fromCode(publishQos))
                .payload("downgrade".getBytes(StandardCharsets.UTF_8)).send();

        Mqtt5Publish message = receive(incoming, topic);
        assertThat(message.getQos().getCode()).as("QoS of the delivered PUBLISH").isEqualTo(expectedQos);
    }

    @Test
    void hundredKibPayloadArrivesByteExact(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("hive-large");
        byte[] payload = new byte[100 * 1024];
        new Random(815).nextBytes(payload);
        Mqtt5BlockingClient subscriber = connect(broker, "hive-sub");
        Mqtt5BlockingClient.Mqtt5Publishes incoming = incoming(subscriber);
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient publisher = connect(broker, "hive-pub");
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();

        Mqtt5Publish message = receive(incoming, topic);
        assertThat(message.getPayloadAsBytes().length).isEqualTo(payload.length);
        assertThat(message.getPayloadAsBytes()).as("100 KiB payload, byte by byte").isEqualTo(payload);
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

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes incoming, String topic)
            throws InterruptedException {
        Optional<Mqtt5Publish> message = incoming.receive(15, TimeUnit.SECONDS);
        assertThat(message).as("a PUBLISH on %s within 15 s", topic).isPresent();
        assertThat(message.get().getTopic().toString()).isEqualTo(topic);
        return message.get();
    }
}
