package org.eemqtt.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions with the HiveMQ client (MQTT 5.0): takeover and resuming a session (Clean Start 0, expiry > 0). */
@ExtendWith(BrokerExtension.class)
class HiveMqSessionIT {

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void takenOverConnectionReceivesDisconnectSessionTakenOver(RunningBroker broker) throws Exception {
        String clientId = Ids.clientId("hive-takeover");
        CompletableFuture<Throwable> firstDisconnected = new CompletableFuture<>();
        Mqtt5BlockingClient first = HiveClients.builder(broker, clientId)
                .addDisconnectedListener(context -> firstDisconnected.complete(context.getCause()))
                .buildBlocking();
        clients.add(first);
        HiveClients.connect(first);

        Mqtt5BlockingClient second = track(HiveClients.client(broker, clientId));
        HiveClients.connect(second);

        Throwable cause = firstDisconnected.get(15, TimeUnit.SECONDS);
        assertThat(cause).as("the first client must be disconnected by a DISCONNECT packet from the server")
                .isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(second.getState().isConnected()).as("the new connection stays up").isTrue();
    }

    @Test
    void sessionWithExpiryIsResumedWithQueuedMessages(RunningBroker broker) throws Exception {
        String clientId = Ids.clientId("hive-resume");
        String topic = Ids.topicRoot("hive-resume");

        Mqtt5BlockingClient offline = track(HiveClients.client(broker, clientId));
        Mqtt5ConnAck first = persistentConnect(offline);
        assertThat(first.isSessionPresent()).as("Session Present for a client id never seen").isFalse();
        offline.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        offline.disconnect();

        Mqtt5BlockingClient publisher = track(HiveClients.connected(broker, Ids.clientId("hive-pub")));
        List<String> sent = List.of("queued-1", "queued-2");
        for (String text : sent) {
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(text.getBytes(StandardCharsets.UTF_8)).send();
        }

        Mqtt5BlockingClient back = track(HiveClients.client(broker, clientId));
        try (Mqtt5BlockingClient.Mqtt5Publishes incoming = back.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck resumed = persistentConnect(back);
            assertThat(resumed.isSessionPresent()).as("Session Present after Clean Start 0 with expiry 300 s")
                    .isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Optional<Mqtt5Publish> message = incoming.receive(15, TimeUnit.SECONDS);
                assertThat(message).as("queued message %d; got so far %s", i + 1, got).isPresent();
                got.add(new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(got).isEqualTo(sent);
        }
        // End the session instead of leaving it for 300 s.
        back.disconnectWith().sessionExpiryInterval(0).send();
    }

    private static Mqtt5ConnAck persistentConnect(Mqtt5BlockingClient client) {
        return client.connectWith()
                .simpleAuth().username(MqttPackets.GUEST)
                .password(MqttPackets.GUEST.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .cleanStart(false)
                .sessionExpiryInterval(300)
                .send();
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient client) {
        clients.add(client);
        return client;
    }
}
