package org.eemqtt.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
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

/** Sessions with Eclipse Paho (MQTT 3.1.1): takeover, persistent sessions, clean session. */
@ExtendWith(BrokerExtension.class)
class PahoSessionIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void secondConnectionWithTheSameClientIdTakesOver(RunningBroker broker) throws Exception {
        String clientId = Ids.clientId("paho-takeover");
        RecordingCallback first = new RecordingCallback();
        MqttClient firstClient = track(PahoClients.connect(broker, clientId, true, first));

        RecordingCallback second = new RecordingCallback();
        MqttClient secondClient = track(PahoClients.connect(broker, clientId, true, second));

        Throwable cause = first.awaitConnectionLost(WAIT);
        assertThat(cause).as("cause passed to connectionLost of the first client").isNotNull();
        assertThat(firstClient.isConnected()).isFalse();
        assertThat(secondClient.isConnected()).isTrue();
        assertThat(second.connectionLost()).as("the new connection must stay up").isFalse();

        // The new connection works: a message to itself.
        String topic = Ids.topicRoot("paho-takeover");
        secondClient.subscribe(topic, 1);
        secondClient.publish(topic, PahoClients.utf8("after takeover"), 1, false);
        assertThat(second.next(WAIT).text()).isEqualTo("after takeover");
    }

    @Test
    void persistentSessionKeepsSubscriptionAndQueuesQos1WhileOffline(RunningBroker broker) throws Exception {
        String clientId = Ids.clientId("paho-persist");
        String topic = Ids.topicRoot("paho-persist");

        MqttClient offline = PahoClients.create(broker, clientId);
        IMqttToken firstConnect = offline.connectWithResult(PahoClients.options(false));
        assertThat(firstConnect.getSessionPresent()).as("Session Present for a client id never seen").isFalse();
        offline.subscribe(topic, 1);
        offline.disconnect();
        offline.close();

        MqttClient publisher = track(PahoClients.connect(broker, Ids.clientId("paho-pub"), true, null));
        List<String> sent = List.of("offline-1", "offline-2", "offline-3");
        for (String text : sent) {
            publisher.publish(topic, PahoClients.utf8(text), 1, false);
        }

        RecordingCallback received = new RecordingCallback();
        MqttClient back = track(PahoClients.create(broker, clientId));
        back.setCallback(received);
        IMqttToken reconnect = back.connectWithResult(PahoClients.options(false));
        assertThat(reconnect.getSessionPresent()).as("Session Present after reconnecting with cleanSession=false")
                .isTrue();

        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            RecordingCallback.Received message = received.next(WAIT);
            assertThat(message.topic()).isEqualTo(topic);
            assertThat(message.qos()).isEqualTo(1);
            got.add(message.text());
        }
        assertThat(got).as("messages queued while offline, in order").isEqualTo(sent);

        // Drop the stored session.
        back.disconnect();
        back.connect(PahoClients.options(true));
    }

    @Test
    void cleanSessionDiscardsThePreviousSession(RunningBroker broker) throws Exception {
        String clientId = Ids.clientId("paho-clean");
        String topic = Ids.topicRoot("paho-clean");

        MqttClient persistent = PahoClients.create(broker, clientId);
        persistent.connect(PahoClients.options(false));
        persistent.subscribe(topic, 1);
        persistent.disconnect();
        persistent.close();

        RecordingCallback received = new RecordingCallback();
        MqttClient clean = track(PahoClients.create(broker, clientId));
        clean.setCallback(received);
        IMqttToken token = clean.connectWithResult(PahoClients.options(true));
        assertThat(token.getSessionPresent()).as("Session Present with cleanSession=true").isFalse();
        clean.subscribe(topic + "-control", 1);

        MqttClient publisher = track(PahoClients.connect(broker, Ids.clientId("paho-pub"), true, null));
        publisher.publish(topic, PahoClients.utf8("old subscription"), 1, false);
        publisher.publish(topic + "-control", PahoClients.utf8("control"), 1, false);

        assertThat(received.next(WAIT).topic()).isEqualTo(topic + "-control");
        Await.sleep(Duration.ofMillis(500));
        assertThat(received.all()).extracting(RecordingCallback.Received::topic)
                .as("the subscription of the discarded session must not deliver")
                .containsExactly(topic + "-control");
    }

    private MqttClient track(MqttClient client) {
        clients.add(client);
        return client;
    }
}
