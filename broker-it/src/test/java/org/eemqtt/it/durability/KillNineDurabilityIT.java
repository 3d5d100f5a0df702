package org.eemqtt.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;

/**
 * Nothing the broker acknowledged is lost when it is killed with SIGKILL in the middle of a stream: a raw publisher
 * pipelines 5,000 messages to a persistent subscriber that subscribed before and is offline during the stream; the
 * broker is killed after about a third of them were acknowledged, started again on the same data, and the
 * subscriber, resuming its session, receives every acknowledged message (QoS 2: exactly once). Retained messages
 * and retained deletes acknowledged before the kill survive it too.
 *
 * <p>The store is the embedded H2 database unless {@code it.db.url} names another (see {@link StoreUnderTest});
 * a subclass may override {@link #store()} to run the same tests against, e.g., a private MariaDB.
 */
class KillNineDurabilityIT {

    private static final int MESSAGES = 5_000;
    private static final int KILL_AFTER_ACKNOWLEDGED = 1_500;
    private static final long SESSION_EXPIRY = 3_600;

    /** The database under test; the seam for other databases. */
    protected StoreUnderTest store() {
        return StoreUnderTest.fromSystemProperties();
    }

    private KilledBroker broker(String name) {
        return new KilledBroker(name, store(), Map.of("mqtt.session.max.queued", String.valueOf(2 * MESSAGES)));
    }

    @Test
    void qos1EveryAcknowledgedMessageReachesThePersistentSubscriberAfterKillNine() throws Exception {
        Map<Integer, Integer> received = streamKillAndResume("durable-qos1", 1);
        assertThat(received.values()).as("QoS 1 may duplicate, never lose").allMatch(n -> n >= 1);
    }

    @Test
    void qos2EveryAcknowledgedMessageReachesThePersistentSubscriberExactlyOnceAfterKillNine() throws Exception {
        Map<Integer, Integer> received = streamKillAndResume("durable-qos2", 2);
        assertThat(received.entrySet()).as("QoS 2: each message exactly once (count == distinct count)")
                .allMatch(e -> e.getValue() == 1);
    }

    /** Returns how often each payload id reached the subscriber; asserts that every acknowledged one did. */
    private Map<Integer, Integer> streamKillAndResume(String name, int qos) throws Exception {
        String topic = Ids.topicRoot(name) + "/stream";
        String subscriberId = Ids.clientId(name + "-sub");
        try (KilledBroker broker = broker(name)) {
            RunningBroker first = broker.start();
            Mqtt5BlockingClient subscriber = HiveClients.client(first, subscriberId);
            connectPersistent(subscriber);
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(qos)).send();
            subscriber.disconnect(); // offline during the stream: everything is queued in its stored session

            Set<Integer> acknowledged;
            int sent;
            try (PipelinedPublisher publisher = new PipelinedPublisher(first.host(), first.port(),
                    Ids.clientId(name + "-pub"), qos, 100)) {
                Thread stream = new Thread(() -> publisher.publish(topic, MESSAGES), name + "-stream");
                stream.start();
                Await.until(Duration.ofSeconds(120), () -> publisher.acknowledged().size() >= KILL_AFTER_ACKNOWLEDGED,
                        () -> "acknowledged " + publisher.acknowledged().size() + ". " + broker.describe());
                broker.killNine();
                stream.join(TimeUnit.SECONDS.toMillis(30));
                acknowledged = publisher.acknowledged();
                sent = publisher.sent();
            }
            assertThat(acknowledged.size()).as("killed mid-stream").isBetween(KILL_AFTER_ACKNOWLEDGED, MESSAGES - 1);

            RunningBroker second = broker.start();
            Mqtt5BlockingClient resumed = HiveClients.client(second, subscriberId);
            try (Mqtt5Publishes publishes = resumed.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5ConnAck connAck = connectPersistent(resumed);
                assertThat(connAck.isSessionPresent()).as("the session survived the kill").isTrue();
                Map<Integer, Integer> received = receive(publishes, acknowledged);
                assertThat(received.keySet()).as("every acknowledged message arrives (of %d sent, %d acknowledged, "
                        + "%d received)", sent, acknowledged.size(), received.size()).containsAll(acknowledged);
                assertThat(received.keySet()).allMatch(id -> id >= 0 && id < sent);
                return received;
            } finally {
                HiveClients.disconnectQuietly(resumed);
            }
        }
    }

    /** Receives until every expected id arrived and then 3 s of quiet (to catch duplicates), or 120 s passed. */
    private static Map<Integer, Integer> receive(Mqtt5Publishes publishes, Set<Integer> expected)
            throws InterruptedException {
        Map<Integer, Integer> counts = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            boolean complete = counts.keySet().containsAll(expected);
            Optional<Mqtt5Publish> next = publishes.receive(complete ? 3 : 10, TimeUnit.SECONDS);
            if (next.isEmpty()) {
                if (complete) {
                    break;
                }
                continue;
            }
            int id = Integer.parseInt(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            counts.merge(id, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void retainedMessagesAndRetainedDeletesAcknowledgedBeforeKillNineSurviveIt() throws Exception {
        String root = Ids.topicRoot("durable-retain");
        try (KilledBroker broker = broker("durable-retain")) {
            RunningBroker first = broker.start();
            Mqtt5BlockingClient publisher = HiveClients.connected(first, Ids.clientId("retain-pub"));
            // blocking publishes return once acknowledged (PUBACK, or PUBREC and PUBCOMP)
            publisher.publishWith().topic(root + "/kept").payload(bytes("kept")).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            publisher.publishWith().topic(root + "/two").payload(bytes("two")).qos(MqttQos.EXACTLY_ONCE)
                    .retain(true).send();
            publisher.publishWith().topic(root + "/deleted").payload(bytes("doomed")).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            publisher.publishWith().topic(root + "/deleted").payload(new byte[0]).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            publisher.publishWith().topic(root + "/replaced").payload(bytes("old")).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            publisher.publishWith().topic(root + "/replaced").payload(bytes("new")).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).send();
            broker.killNine();

            RunningBroker second = broker.start();
            Mqtt5BlockingClient subscriber = HiveClients.client(second, Ids.clientId("retain-sub"));
            try (Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                HiveClients.connect(subscriber);
                subscriber.subscribeWith().topicFilter(root + "/#").qos(MqttQos.EXACTLY_ONCE).send();
                List<String> got = new ArrayList<>();
                Optional<Mqtt5Publish> next;
                while ((next = publishes.receive(3, TimeUnit.SECONDS)).isPresent()) {
                    Mqtt5Publish p = next.get();
                    assertThat(p.isRetain()).isTrue();
                    got.add(p.getTopic().toString().substring(root.length() + 1) + "="
                            + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8) + "@" + p.getQos().getCode());
                }
                assertThat(new HashSet<>(got)).as(broker.describe())
                        .containsExactlyInAnyOrder("kept=kept@1", "two=two@2", "replaced=new@1");
            } finally {
                HiveClients.disconnectQuietly(subscriber);
            }
        }
    }

    private static Mqtt5ConnAck connectPersistent(Mqtt5BlockingClient client) {
        return client.connectWith()
                .simpleAuth().username(MqttPackets.GUEST).password(bytes(MqttPackets.GUEST)).applySimpleAuth()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY)
                .send();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
