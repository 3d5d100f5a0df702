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
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
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

    /** QoS 1 with a 3.1.1 subscriber (Paho, clean session 0). */
    @Test
    void qos1EveryAcknowledgedMessageReachesThePersistentSubscriberAfterKillNine() throws Exception {
        Map<Integer, Integer> received = streamKillAndResume("durable-qos1", 1, new PahoSubscriber());
        assertThat(received.values()).as("QoS 1 may duplicate, never lose").allMatch(n -> n >= 1);
    }

    /** QoS 2 with a 5.0 subscriber (HiveMQ, clean start 0, session expiry one hour). */
    @Test
    void qos2EveryAcknowledgedMessageReachesThePersistentSubscriberExactlyOnceAfterKillNine() throws Exception {
        Map<Integer, Integer> received = streamKillAndResume("durable-qos2", 2, new HiveSubscriber());
        assertThat(received.entrySet()).as("QoS 2: each message exactly once (count == distinct count)")
                .allMatch(e -> e.getValue() == 1);
    }

    /** Returns how often each payload id reached the subscriber; asserts that every acknowledged one did. */
    private Map<Integer, Integer> streamKillAndResume(String name, int qos, ResumingSubscriber subscriber)
            throws Exception {
        String topic = Ids.topicRoot(name) + "/stream";
        String subscriberId = Ids.clientId(name + "-sub");
        try (KilledBroker broker = broker(name)) {
            RunningBroker first = broker.start();
            // offline during the stream: everything is queued in its stored session
            subscriber.subscribeAndLeave(first, subscriberId, topic, qos);

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
            try {
                assertThat(subscriber.resume(second, subscriberId)).as("the session survived the kill").isTrue();
                Map<Integer, Integer> received = subscriber.receive(acknowledged);
                assertThat(received.keySet()).as("every acknowledged message arrives (of %d sent, %d acknowledged, "
                        + "%d received)", sent, acknowledged.size(), received.size()).containsAll(acknowledged);
                assertThat(received.keySet()).allMatch(id -> id >= 0 && id < sent);
                return received;
            } finally {
                subscriber.close();
            }
        }
    }

    /** A persistent subscriber that subscribes, goes offline, and later resumes its session. */
    private interface ResumingSubscriber {
        void subscribeAndLeave(RunningBroker broker, String clientId, String topic, int qos) throws Exception;

        /** Reconnects to the session; returns Session Present. */
        boolean resume(RunningBroker broker, String clientId) throws Exception;

        /** How often each payload id arrived: until every expected one did and then 3 s of quiet, or 120 s. */
        Map<Integer, Integer> receive(Set<Integer> expected) throws Exception;

        void close();
    }

    private static final class HiveSubscriber implements ResumingSubscriber {
        private Mqtt5BlockingClient client;
        private Mqtt5Publishes publishes;

        @Override
        public void subscribeAndLeave(RunningBroker broker, String clientId, String topic, int qos) {
            Mqtt5BlockingClient first = HiveClients.client(broker, clientId);
            connectPersistent(first);
            first.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(qos)).send();
            first.disconnect();
        }

        @Override
        public boolean resume(RunningBroker broker, String clientId) {
            client = HiveClients.client(broker, clientId);
            publishes = client.publishes(MqttGlobalPublishFilter.ALL); // before CONNECT: nothing is missed
            return connectPersistent(client).isSessionPresent();
        }

        @Override
        public Map<Integer, Integer> receive(Set<Integer> expected) throws InterruptedException {
            return KillNineDurabilityIT.receive(expected, seconds -> publishes.receive(seconds, TimeUnit.SECONDS)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            if (publishes != null) {
                publishes.close();
            }
            HiveClients.disconnectQuietly(client);
        }
    }

    private static final class PahoSubscriber implements ResumingSubscriber {
        private final RecordingCallback callback = new RecordingCallback();
        private MqttClient client;

        @Override
        public void subscribeAndLeave(RunningBroker broker, String clientId, String topic, int qos) throws Exception {
            MqttClient first = PahoClients.connect(broker, clientId, false, null);
            first.subscribe(topic, qos);
            first.disconnect();
            first.close();
        }

        @Override
        public boolean resume(RunningBroker broker, String clientId) throws Exception {
            client = PahoClients.create(broker, clientId);
            client.setCallback(callback);
            return client.connectWithResult(PahoClients.options(false)).getSessionPresent();
        }

        @Override
        public Map<Integer, Integer> receive(Set<Integer> expected) throws InterruptedException {
            return KillNineDurabilityIT.receive(expected, seconds -> {
                try {
                    return Optional.of(callback.next(Duration.ofSeconds(seconds)).text());
                } catch (AssertionError none) {
                    return Optional.empty();
                }
            });
        }

        @Override
        public void close() {
            PahoClients.closeQuietly(client);
        }
    }

    /** The next payload within some seconds, or empty. */
    @FunctionalInterface
    private interface Source {
        Optional<String> next(long seconds) throws InterruptedException;
    }

    private static Map<Integer, Integer> receive(Set<Integer> expected, Source source)
            throws InterruptedException {
        Map<Integer, Integer> counts = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            boolean complete = counts.keySet().containsAll(expected);
            Optional<String> next = source.next(complete ? 3 : 10);
            if (next.isEmpty()) {
                if (complete) {
                    break;
                }
                continue;
            }
            counts.merge(Integer.parseInt(next.get()), 1, Integer::sum);
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
