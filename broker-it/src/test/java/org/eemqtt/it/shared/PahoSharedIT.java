package org.eemqtt.it.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Paho5Callback;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared subscriptions with Eclipse Paho: Java v5 members (MQTT 5.0) and Java v3 members (MQTT 3.1.1, which has no
 * shared subscriptions of its own but may use the {@code $share/} filters) each get a disjoint share of the
 * messages, together all of them.
 */
@ExtendWith(BrokerExtension.class)
class PahoSharedIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofMillis(700);

    private final List<org.eclipse.paho.mqttv5.client.MqttClient> v5Clients = new ArrayList<>();
    private final List<MqttClient> v3Clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        for (org.eclipse.paho.mqttv5.client.MqttClient c : v5Clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(2_000);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // best effort
            }
        }
        v3Clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void threePahoV5MembersGetDisjointSharesOfAllQos2Messages(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho5-share");
        List<List<String>> shares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> received = new CopyOnWriteArrayList<>();
            org.eclipse.paho.mqttv5.client.MqttClient member = v5(broker, "paho5-m" + i, received);
            IMqttToken subAck = member.subscribe(new MqttSubscription[] {
                new MqttSubscription("$share/paho/" + root + "/#", 2)});
            assertThat(subAck.getReasonCodes()).containsExactly(2);
            shares.add(received);
        }
        org.eclipse.paho.mqttv5.client.MqttClient publisher = v5(broker, "paho5-pub", new ArrayList<>());
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            String payload = "msg-" + i;
            publisher.publish(root + "/job", payload.getBytes(StandardCharsets.UTF_8), 2, false);
            sent.add(payload);
        }

        awaitTotal(shares, sent.size());
        List<String> all = new ArrayList<>();
        shares.forEach(all::addAll);
        assertThat(all).as("each message reaches exactly one member: %s", shares)
                .containsExactlyInAnyOrderElementsOf(sent);
        shares.forEach(share -> assertThat(share).as("round-robin shares %s", shares).hasSize(7));
    }

    @Test
    void mqtt311MembersShareTooWithPahoV3(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("paho3-share");
        RecordingCallback first = new RecordingCallback();
        RecordingCallback second = new RecordingCallback();
        MqttClient m1 = track(PahoClients.connect(broker, Ids.clientId("paho3-m1"), true, first));
        MqttClient m2 = track(PahoClients.connect(broker, Ids.clientId("paho3-m2"), true, second));
        String filter = "$share/legacy/" + root + "/+";
        assertThat(m1.subscribeWithResponse(filter, 1).getGrantedQos()).containsExactly(1);
        assertThat(m2.subscribeWithResponse(filter, 1).getGrantedQos()).containsExactly(1);
        MqttClient publisher = track(PahoClients.connect(broker, Ids.clientId("paho3-pub"), true, null));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String payload = "msg-" + i;
            publisher.publish(root + "/a", PahoClients.utf8(payload), 1, false);
            sent.add(payload);
        }

        Await.until(WAIT, () -> first.all().size() + second.all().size() >= sent.size(),
                () -> "received " + first.describeAll() + " / " + second.describeAll());
        Await.sleep(GRACE);
        List<String> all = new ArrayList<>();
        first.all().forEach(r -> all.add(r.text()));
        second.all().forEach(r -> all.add(r.text()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(first.all()).hasSize(5);
        assertThat(second.all()).hasSize(5);
    }

    private org.eclipse.paho.mqttv5.client.MqttClient v5(RunningBroker broker, String prefix, List<String> received)
            throws MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                broker.tcpUri(), Ids.clientId(prefix), new MemoryPersistence());
        v5Clients.add(client);
        client.setCallback(new Paho5Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(MqttPackets.GUEST);
        options.setPassword(MqttPackets.GUEST.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(15);
        client.connect(options);
        return client;
    }

    private static void awaitTotal(List<List<String>> shares, int expected) {
        Await.until(WAIT, () -> shares.stream().mapToInt(List::size).sum() >= expected,
                () -> "received " + shares);
        Await.sleep(GRACE);
        assertThat(shares.stream().mapToInt(List::size).sum()).as("after the grace time: %s", shares)
                .isEqualTo(expected);
    }

    private MqttClient track(MqttClient client) {
        v3Clients.add(client);
        return client;
    }
}
