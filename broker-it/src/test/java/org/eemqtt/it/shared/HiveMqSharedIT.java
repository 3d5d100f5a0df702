package org.eemqtt.it.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared subscriptions {@code $share/{group}/{filter}} with the HiveMQ client (MQTT 5.0): each message reaches one
 * member of each group, every group and every non-shared subscriber get all of them, and no retained message is
 * sent on a shared subscribe. After the expected messages have arrived, a grace time passes in which nothing more
 * may arrive.
 */
@ExtendWith(BrokerExtension.class)
class HiveMqSharedIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofMillis(700);

    /** A connected client and the payloads it has received, in order. */
    record Receiver(Mqtt5BlockingClient client, List<String> payloads) {
    }

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @ParameterizedTest
    @EnumSource(value = MqttQos.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void threeMembersGetDisjointSharesOfAllMessages(MqttQos qos, RunningBroker broker) {
        String root = Ids.topicRoot("hive-share");
        List<Receiver> members = List.of(receiver(broker, "hive-m1"), receiver(broker, "hive-m2"),
                receiver(broker, "hive-m3"));
        members.forEach(m -> subscribe(m, "$share/workers/" + root + "/#", qos));

        List<String> sent = publish(broker, root + "/job", 30, qos);

        awaitTotal(members, sent.size());
        List<String> all = new ArrayList<>();
        members.forEach(m -> all.addAll(m.payloads()));
        assertThat(all).as("each message reaches exactly one member").containsExactlyInAnyOrderElementsOf(sent);
        // every member is connected with room in its window, so the turns go round: 10 each
        members.forEach(m -> assertThat(m.payloads()).as("share of %s", m.client().getConfig()
                .getClientIdentifier()).hasSize(10));
    }

    @Test
    void twoGroupsAndANonSharedSubscriberEachGetEveryMessage(RunningBroker broker) {
        String root = Ids.topicRoot("hive-groups");
        Receiver a1 = receiver(broker, "hive-a1");
        Receiver a2 = receiver(broker, "hive-a2");
        Receiver b1 = receiver(broker, "hive-b1");
        Receiver b2 = receiver(broker, "hive-b2");
        Receiver plain = receiver(broker, "hive-plain");
        subscribe(a1, "$share/a/" + root + "/+", MqttQos.AT_LEAST_ONCE);
        subscribe(a2, "$share/a/" + root + "/+", MqttQos.AT_LEAST_ONCE);
        subscribe(b1, "$share/b/" + root + "/+", MqttQos.AT_LEAST_ONCE);
        subscribe(b2, "$share/b/" + root + "/+", MqttQos.AT_LEAST_ONCE);
        subscribe(plain, root + "/+", MqttQos.AT_LEAST_ONCE);

        List<String> sent = publish(broker, root + "/x", 12, MqttQos.AT_LEAST_ONCE);

        List<Receiver> everyone = List.of(a1, a2, b1, b2, plain);
        awaitTotal(everyone, 3 * sent.size());
        assertThat(union(a1, a2)).as("group a").containsExactlyInAnyOrderElementsOf(sent);
        assertThat(union(b1, b2)).as("group b").containsExactlyInAnyOrderElementsOf(sent);
        assertThat(plain.payloads()).as("the non-shared subscriber").containsExactlyElementsOf(sent);
    }

    @Test
    void noRetainedMessageIsSentOnASharedSubscribe(RunningBroker broker) {
        String topic = Ids.topicRoot("hive-share-retained");
        Mqtt5BlockingClient publisher = track(HiveClients.connected(broker, Ids.clientId("hive-pub")));
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(utf8("retained")).send();
        try {
            Receiver shared = receiver(broker, "hive-shared");
            Mqtt5SubAck subAck = subscribe(shared, "$share/g/" + topic, MqttQos.AT_LEAST_ONCE);
            assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            Receiver plain = receiver(broker, "hive-plain");
            subscribe(plain, topic, MqttQos.AT_LEAST_ONCE);
            awaitTotal(List.of(plain), 1); // the retained message exists: a normal subscription gets it
            assertThat(shared.payloads()).as("nothing retained on the shared subscribe").isEmpty();

            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("live")).send();
            awaitTotal(List.of(shared), 1);
            assertThat(shared.payloads()).containsExactly("live");
        } finally {
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
        }
    }

    private Receiver receiver(RunningBroker broker, String prefix) {
        Mqtt5BlockingClient client = track(HiveClients.client(broker, Ids.clientId(prefix)));
        List<String> payloads = new CopyOnWriteArrayList<>();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> payloads.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        HiveClients.connect(client);
        return new Receiver(client, payloads);
    }

    private static Mqtt5SubAck subscribe(Receiver receiver, String filter, MqttQos qos) {
        return receiver.client().subscribeWith().topicFilter(filter).qos(qos).send();
    }

    private List<String> publish(RunningBroker broker, String topic, int count, MqttQos qos) {
        Mqtt5BlockingClient publisher = track(HiveClients.connected(broker, Ids.clientId("hive-pub")));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String payload = "msg-" + i;
            publisher.publishWith().topic(topic).qos(qos).payload(utf8(payload)).send();
            sent.add(payload);
        }
        return sent;
    }

    /** Waits until the receivers together hold {@code expected} messages, then lets a grace time pass. */
    private static void awaitTotal(List<Receiver> receivers, int expected) {
        Await.until(WAIT, () -> total(receivers) >= expected,
                () -> total(receivers) + " of " + expected + " messages arrived: " + describe(receivers));
        Await.sleep(GRACE);
        assertThat(total(receivers)).as("messages after the grace time: %s", describe(receivers))
                .isEqualTo(expected);
    }

    private static int total(List<Receiver> receivers) {
        return receivers.stream().mapToInt(r -> r.payloads().size()).sum();
    }

    private static String describe(List<Receiver> receivers) {
        StringBuilder b = new StringBuilder();
        receivers.forEach(r -> b.append(r.client().getConfig().getClientIdentifier()).append('=')
                .append(r.payloads()).append(' '));
        return b.toString();
    }

    private static List<String> union(Receiver... receivers) {
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Receiver r : receivers) {
            for (String p : r.payloads()) {
                all.add(p);
                seen.add(p);
            }
        }
        assertThat(all).as("no message twice within a group").hasSameSizeAs(seen);
        return all;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient client) {
        clients.add(client);
        return client;
    }
}
