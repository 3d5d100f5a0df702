package org.eemqtt.it.topicalias;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 topic aliases (3.3.2.3.4) in both directions, on the wire and with a real client. */
@ExtendWith(BrokerExtension.class)
class TopicAliasIT {

    private static final int OUR_TOPIC_ALIAS_MAXIMUM = 32; // mqtt.topic.alias.maximum default
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String receiveText(Mqtt5BlockingClient.Mqtt5Publishes publishes, List<String> topics)
            throws InterruptedException {
        Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message"));
        topics.add(p.getTopic().toString());
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void connAckAnnouncesOurTopicAliasMaximum(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("ta-ack"));
        try {
            assertThat(HiveClients.connect(client).getRestrictions().getTopicAliasMaximum())
                    .isEqualTo(OUR_TOPIC_ALIAS_MAXIMUM);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void aliasSetByTheClientStandsForItsTopic(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("ta-in");
        Mqtt5BlockingClient subscriber = HiveClients.connected(broker, Ids.clientId("ta-in-sub"));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
             RawConnection c = Raw5.connected(broker, Ids.clientId("ta-in"))) {
            subscriber.subscribeWith().topicFilter(root + "/#").send();
            byte[] alias7 = Raw5.u16Property(Raw5.TOPIC_ALIAS, 7);
            c.send(Raw5.publish(root + "/kitchen/temperature", 1, 1, text("21"), alias7));
            c.send(Raw5.publish("", 1, 2, text("22"), alias7)); // empty topic: the alias stands for it
            c.send(Raw5.publish(root + "/hall/temperature", 1, 3, text("19"), alias7)); // remapped
            c.send(Raw5.publish("", 1, 4, text("18"), alias7));
            for (int i = 1; i <= 4; i++) {
                Packet ack = c.readPacket(WAIT);
                assertThat(ack.type()).isEqualTo(Packet.PUBACK);
                assertThat(ack.packetId()).isEqualTo(i);
            }
            List<String> topics = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                payloads.add(receiveText(publishes, topics));
            }
            assertThat(payloads).containsExactly("21", "22", "19", "18");
            assertThat(topics).containsExactly(root + "/kitchen/temperature", root + "/kitchen/temperature",
                    root + "/hall/temperature", root + "/hall/temperature");
        } finally {
            HiveClients.disconnectQuietly(subscriber);
        }
    }

    @Test
    void aliasAboveOurMaximumIsDisconnectedWith0x94(RunningBroker broker) {
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-max"))) {
            c.sendQuietly(Raw5.publish("a/b", 0, 0, text("x"),
                    Raw5.u16Property(Raw5.TOPIC_ALIAS, OUR_TOPIC_ALIAS_MAXIMUM + 1))); // MQTT-3.3.2-9
            BadInput.assertDisconnectThenClose(c, 0x94, "topic alias above Topic Alias Maximum");
        }
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void aliasZeroIsDisconnectedWith0x94(RunningBroker broker) {
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-zero"))) {
            c.sendQuietly(Raw5.publish("a/b", 0, 0, text("x"), Raw5.u16Property(Raw5.TOPIC_ALIAS, 0)));
            BadInput.assertDisconnectThenClose(c, 0x94, "topic alias 0"); // MQTT-3.3.2-8
        }
    }

    @Test
    void unknownAliasIsAProtocolError(RunningBroker broker) {
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-unknown"))) {
            c.sendQuietly(Raw5.publish("", 0, 0, text("x"), Raw5.u16Property(Raw5.TOPIC_ALIAS, 3)));
            BadInput.assertDisconnectThenClose(c, 0x82, "empty topic with an alias never set");
        }
    }

    @Test
    void emptyTopicWithoutAliasIsAProtocolError(RunningBroker broker) {
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-empty"))) {
            c.sendQuietly(Raw5.publish("", 0, 0, text("x")));
            BadInput.assertDisconnectThenClose(c, 0x82, "empty topic without alias");
        }
    }

    @Test
    void mqtt311ClientsCannotUseAliases(RunningBroker broker) {
        try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("ta-311"), 30)) {
            c.sendQuietly(MqttPackets.publish("", 0, 0, text("x"), false)); // MQTT-4.7.3-1: topic names non-empty
            BadInput.assertClosedSilently(c, "3.1.1 PUBLISH with an empty topic");
        }
    }

    @Test
    void brokerAliasesTopicsWithinTheClientsMaximum(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("ta-out");
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("ta-out-pub"));
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-out"),
                Raw5.u16Property(Raw5.TOPIC_ALIAS_MAXIMUM, 1))) {
            c.send(MqttPackets.subscribe(1, root + "/#", 0, true));
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            for (String leaf : new String[] {"first", "first", "second", "second"}) {
                publisher.publishWith().topic(root + "/" + leaf).qos(MqttQos.AT_LEAST_ONCE).payload(text(leaf))
                        .send();
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Raw5.Publish p = Raw5.parsePublish(c.readPacket(WAIT));
                seen.add(p.topic().replace(root, "R") + "@" + p.topicAlias() + ":" + p.payloadText());
            }
            // one alias allowed: set with the topic, then used alone; the next topic takes it over
            assertThat(seen).containsExactly("R/first@1:first", "@1:first", "R/second@1:second", "@1:second");
        } finally {
            HiveClients.disconnectQuietly(publisher);
        }
    }

    @Test
    void noAliasesTowardsAClientThatAllowsNone(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("ta-none");
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("ta-none-pub"));
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("ta-none"))) {
            c.send(MqttPackets.subscribe(1, root + "/#", 0, true));
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            for (int i = 0; i < 3; i++) {
                publisher.publishWith().topic(root + "/same").qos(MqttQos.AT_LEAST_ONCE).payload(text("x")).send();
            }
            for (int i = 0; i < 3; i++) {
                Raw5.Publish p = Raw5.parsePublish(c.readPacket(WAIT));
                assertThat(p.topic()).isEqualTo(root + "/same");
                assertThat(p.topicAlias()).isNull(); // MQTT-3.3.2-11: none when the client's maximum is 0
            }
        } finally {
            HiveClients.disconnectQuietly(publisher);
        }
    }

    @Test
    void hiveMqClientsExchangeManyTopicsThroughAliases(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("ta-hive");
        Mqtt5BlockingClient subscriber = HiveClients.builder(broker, Ids.clientId("ta-hive-sub")).buildBlocking();
        Mqtt5BlockingClient publisher = HiveClients.builder(broker, Ids.clientId("ta-hive-pub")).buildBlocking();
        try {
            subscriber.connectWith().simpleAuth().username(MqttPackets.GUEST).password(text(MqttPackets.GUEST))
                    .applySimpleAuth().restrictions().topicAliasMaximum(4).applyRestrictions().send();
            publisher.connectWith().simpleAuth().username(MqttPackets.GUEST).password(text(MqttPackets.GUEST))
                    .applySimpleAuth().restrictions().sendTopicAliasMaximum(8).applyRestrictions().send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String topic = root + "/sensor-" + (i % 6) + "/value"; // more topics than the 4 aliases
                    expected.add(topic);
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("v" + i)).send();
                }
                List<String> topics = new ArrayList<>();
                List<String> payloads = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    payloads.add(receiveText(publishes, topics));
                }
                assertThat(topics).containsExactlyElementsOf(expected);
                assertThat(payloads.get(59)).isEqualTo("v59");
            }
        } finally {
            HiveClients.disconnectQuietly(subscriber);
            HiveClients.disconnectQuietly(publisher);
        }
    }
}
