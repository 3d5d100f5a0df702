package org.eemqtt.it.subscribe;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Paho5Callback;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 subscription options (3.8.3.1) and Subscription Identifiers (3.8.2.1.2, 3.3.4). */
@ExtendWith(BrokerExtension.class)
class SubscriptionOptionsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String payload(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("so-nolocal") + "/t";
        Mqtt5BlockingClient client = HiveClients.connected(broker, Ids.clientId("so-nolocal"));
        Mqtt5BlockingClient other = HiveClients.connected(broker, Ids.clientId("so-other"));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("own")).send();
            other.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("other")).send();
            // MQTT-3.8.3-3: the own message is not forwarded back; the other client's is
            assertThat(payload(publishes.receive(10, TimeUnit.SECONDS).orElseThrow())).isEqualTo("other");
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            HiveClients.disconnectQuietly(client);
            HiveClients.disconnectQuietly(other);
        }
    }

    @Test
    void withoutNoLocalAClientReceivesItsOwnMessages(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("so-local") + "/t";
        Mqtt5BlockingClient client = HiveClients.connected(broker, Ids.clientId("so-local"));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("own")).send();
            assertThat(payload(publishes.receive(10, TimeUnit.SECONDS).orElseThrow())).isEqualTo("own");
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveMessages(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("so-rap");
        Mqtt5BlockingClient keeping = HiveClients.connected(broker, Ids.clientId("so-rap-keep"));
        Mqtt5BlockingClient clearing = HiveClients.connected(broker, Ids.clientId("so-rap-clear"));
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("so-rap-pub"));
        try (Mqtt5BlockingClient.Mqtt5Publishes kept = keeping.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes cleared = clearing.publishes(MqttGlobalPublishFilter.ALL)) {
            keeping.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true)
                    .send();
            clearing.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic(root + "/state").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload(text("on")).send();
            assertThat(kept.receive(10, TimeUnit.SECONDS).orElseThrow().isRetain()).isTrue();
            assertThat(cleared.receive(10, TimeUnit.SECONDS).orElseThrow().isRetain()).isFalse(); // MQTT-3.3.1-12
            publisher.publishWith().topic(root + "/state").retain(true).payload(new byte[0]).send(); // clean up
        } finally {
            HiveClients.disconnectQuietly(keeping);
            HiveClients.disconnectQuietly(clearing);
            HiveClients.disconnectQuietly(publisher);
        }
    }

    /** Paho v5 async client whose messages land in a queue. */
    private static MqttAsyncClient paho(RunningBroker broker, String id, BlockingQueue<MqttMessage> inbox)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + broker.host() + ":" + broker.port(), id,
                new MemoryPersistence());
        client.setCallback(new Paho5Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(MqttPackets.GUEST);
        options.setPassword(text(MqttPackets.GUEST));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private static void subscribe(MqttAsyncClient client, String filter, int identifier) throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setSubscriptionIdentifier(identifier);
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null,
                properties);
        token.waitForCompletion(10_000);
    }

    @Test
    void oneCopyCarriesEveryMatchingSubscriptionIdentifier(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("so-subid");
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient client = paho(broker, Ids.clientId("so-subid"), inbox);
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("so-subid-pub"));
        try {
            subscribe(client, root + "/a/+", 11);
            subscribe(client, root + "/#", 22);
            subscribe(client, root + "/b", 33);
            publisher.publishWith().topic(root + "/a/x").qos(MqttQos.AT_LEAST_ONCE).payload(text("ax")).send();
            publisher.publishWith().topic(root + "/b").qos(MqttQos.AT_LEAST_ONCE).payload(text("b")).send();
            MqttMessage ax = inbox.poll(10, TimeUnit.SECONDS);
            MqttMessage b = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(ax).isNotNull();
            assertThat(b).isNotNull();
            // MQTT-3.3.4-3/-4 (5.0): overlapping subscriptions give one copy with all their identifiers
            assertThat(new String(ax.getPayload(), StandardCharsets.UTF_8)).isEqualTo("ax");
            assertThat(ax.getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(11, 22);
            assertThat(b.getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(22, 33);
            assertThat(inbox.poll(500, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            HiveClients.disconnectQuietly(publisher);
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    @Test
    void subscriptionIdentifierOnTheWire(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("so-subid-raw") + "/t";
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("so-subid-rawpub"));
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("so-subid-raw"))) {
            // SUBSCRIBE: packet id 1, properties: Subscription Identifier (0x0B) 200 = varint C8 01
            c.send(MqttPackets.packet(0x82, MqttPackets.u16(1), Raw5.properties(new byte[] {0x0B, (byte) 0xC8, 0x01}),
                    MqttPackets.utf8(topic), new byte[] {0x01}));
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            publisher.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(text("x")).send();
            Raw5.Publish p = Raw5.parsePublish(c.readPacket(WAIT));
            assertThat(p.properties().get(0x0B)).isEqualTo(200);
        } finally {
            HiveClients.disconnectQuietly(publisher);
        }
    }

    @Test
    void retainHandlingDecidesWhenRetainedMessagesAreSent(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("so-rh") + "/t";
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("so-rh-pub"));
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(text("kept")).send();
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("so-rh"))) {
            // options byte: QoS 1 | retain handling << 4
            c.send(MqttPackets.packet(0x82, MqttPackets.u16(1), new byte[] {0}, MqttPackets.utf8(topic),
                    new byte[] {0x01 | (2 << 4)}));                  // 2: never
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            c.assertStaysOpenSilently(Duration.ofMillis(500));
            c.send(MqttPackets.packet(0x82, MqttPackets.u16(2), new byte[] {0}, MqttPackets.utf8(topic),
                    new byte[] {0x01 | (1 << 4)}));                  // 1: only for a new subscription: not new
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            c.assertStaysOpenSilently(Duration.ofMillis(500));
            c.send(MqttPackets.packet(0x82, MqttPackets.u16(3), new byte[] {0}, MqttPackets.utf8(topic),
                    new byte[] {0x01}));                             // 0: at every subscribe (MQTT-3.3.1-9)
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            Raw5.Publish retained = Raw5.parsePublish(c.readPacket(WAIT));
            assertThat(retained.payloadText()).isEqualTo("kept");
            c.send(MqttPackets.puback(retained.packetId()));
        } finally {
            publisher.publishWith().topic(topic).retain(true).payload(new byte[0]).send();
            HiveClients.disconnectQuietly(publisher);
        }
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("so-rh-new"))) {
            Mqtt5BlockingClient again = HiveClients.connected(broker, Ids.clientId("so-rh-pub2"));
            again.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(text("v2")).send();
            c.send(MqttPackets.packet(0x82, MqttPackets.u16(1), new byte[] {0}, MqttPackets.utf8(topic),
                    new byte[] {0x01 | (1 << 4)}));                  // 1 on a new subscription: sent
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            assertThat(Raw5.parsePublish(c.readPacket(WAIT)).payloadText()).isEqualTo("v2");
            again.publishWith().topic(topic).retain(true).payload(new byte[0]).send();
            HiveClients.disconnectQuietly(again);
        }
    }

}
