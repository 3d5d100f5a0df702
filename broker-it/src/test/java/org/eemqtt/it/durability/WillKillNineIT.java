package org.eemqtt.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;

/**
 * Wills of persistent sessions survive kill -9. A broker crash closes every network connection without DISCONNECT,
 * and a will is published when its connection closes without one (MQTT-3.1.2-8; 5.0 3.1.2.5): after the restart,
 * the will of each persistent session whose connection the crash closed is published after its delay (5.0, from
 * the restart), and a delayed will that was pending when the broker died is published when due. A will that a
 * normal DISCONNECT discarded before the crash stays unpublished, and a reconnect within the delay after the
 * restart cancels the will (MQTT-3.1.3-9). A persistent watcher session receives them all.
 *
 * <p>One kill for all the cases (broker starts are the slow part). H2 unless {@code it.db.url} says otherwise.
 */
class WillKillNineIT {

    private static final long SESSION_EXPIRY = 3_600;
    private static final long DELAYED = 15;   // the will of a connection open at the crash, due 15 s after restart
    private static final long CANCELLED = 60; // the will of a connection whose client reconnects after the restart
    private static final long PENDING = 5;    // a delayed will pending (connection gone) when the broker was killed
    private static final Pattern RESTORED =
            Pattern.compile("\\[(\\d{4}-\\d\\d-\\d\\dT[^\\]]+)\\].*persistent sessions");

    protected StoreUnderTest store() {
        return StoreUnderTest.fromSystemProperties();
    }

    @Test
    void willsOfPersistentSessionsArePublishedAfterKillNineWhenDueAndOnlyThose() throws Exception {
        String root = Ids.topicRoot("durable-will");
        String name = "durable-will";
        List<Mqtt5BlockingClient> clients = new ArrayList<>();
        MqttClient paho = null;
        try (KilledBroker broker = new KilledBroker(name, store(), Map.of())) {
            RunningBroker first = broker.start();
            String watcherId = Ids.clientId(name + "-watcher");
            Mqtt5BlockingClient watcher = HiveClients.client(first, watcherId);
            persistent(watcher).send();
            watcher.subscribeWith().topicFilter(root + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            watcher.disconnect(); // offline: what is published meanwhile is queued in its stored session

            clients.add(withWill(first, Ids.clientId(name + "-a"), root + "/a", 0)); // open at the crash, no delay
            paho = PahoClients.create(first, Ids.clientId(name + "-b"));    // 3.1.1, clean session 0
            MqttConnectOptions options = PahoClients.options(false);
            options.setWill(root + "/b", "b".getBytes(StandardCharsets.UTF_8), 1, false);
            paho.connect(options);
            clients.add(withWill(first, Ids.clientId(name + "-c"), root + "/c", DELAYED));
            String cancelledId = Ids.clientId(name + "-d");
            clients.add(withWill(first, cancelledId, root + "/d", CANCELLED));
            // a normal DISCONNECT discards the will
            withWill(first, Ids.clientId(name + "-e"), root + "/e", 0).disconnect();
            Mqtt5BlockingClient pending = withWill(first, Ids.clientId(name + "-f"), root + "/f", PENDING);
            pending.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            long pendingSince = System.nanoTime();
            Thread.sleep(1_000); // the offline state (with the pending will) is written lazily: a few ms
            broker.killNine();
            assertThat(System.nanoTime() - pendingSince).as("killed before the pending will was due")
                    .isLessThan(TimeUnit.SECONDS.toNanos(PENDING));

            RunningBroker second = broker.start();
            long restoredAt = restoredAt(second);
            Mqtt5BlockingClient resumed = HiveClients.client(second, cancelledId);
            clients.add(resumed);
            assertThat(persistent(resumed).send().isSessionPresent()).isTrue();
            assertThat(System.currentTimeMillis() - restoredAt).as("reconnected within the will delay")
                    .isLessThan(TimeUnit.SECONDS.toMillis(CANCELLED - 5));

            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            Mqtt5BlockingClient watching = HiveClients.client(second, watcherId);
            clients.add(watching);
            try (Mqtt5Publishes publishes = watching.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(persistent(watching).send().isSessionPresent()).isTrue();
                long until = restoredAt + TimeUnit.SECONDS.toMillis(CANCELLED + 5);
                while (System.currentTimeMillis() < until) {
                    Optional<Mqtt5Publish> next = publishes.receive(500, TimeUnit.MILLISECONDS);
                    next.ifPresent(p -> arrivals.putIfAbsent(p.getTopic().toString().substring(root.length() + 1),
                            System.currentTimeMillis()));
                }
            }
            assertThat(arrivals.keySet()).as("wills published after the restart (%s)", second.describe())
                    .containsExactlyInAnyOrder("a", "b", "c", "f");
            assertThat(arrivals.get("c") - restoredAt).as("the delayed will waited its delay after the restart")
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(DELAYED - 1));
        } finally {
            clients.forEach(HiveClients::disconnectQuietly);
            PahoClients.closeQuietly(paho);
        }
    }

    private static Mqtt5ConnectBuilder.Send<Mqtt5ConnAck> persistent(Mqtt5BlockingClient client) {
        return client.connectWith()
                .simpleAuth().username(MqttPackets.GUEST).password(MqttPackets.GUEST.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY);
    }

    private static Mqtt5BlockingClient withWill(RunningBroker broker, String clientId, String topic, long delay) {
        Mqtt5BlockingClient client = HiveClients.client(broker, clientId);
        persistent(client).willPublish().topic(topic).payload(topic.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).delayInterval(delay).applyWillPublish().send();
        return client;
    }

    /** When the broker restored the stored sessions (and scheduled their wills), from its log. */
    private static long restoredAt(RunningBroker broker) {
        Matcher m = RESTORED.matcher(broker.process().logText());
        assertThat(m.find()).as("restore logged: %s", broker.describe()).isTrue();
        return OffsetDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
                .toInstant().toEpochMilli();
    }
}
