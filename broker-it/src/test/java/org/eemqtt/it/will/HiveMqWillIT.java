package org.eemqtt.it.will;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT 5.0 wills with the HiveMQ client: DISCONNECT 0x04 and 0x00, and the Will Delay Interval (3.1.3.2.2), whose
 * dying client is a raw socket (the library always ends with DISCONNECT).
 */
@ExtendWith(BrokerExtension.class)
class HiveMqWillIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long WILL_DELAY_SECONDS = 2;

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<Mqtt5BlockingClient.Mqtt5Publishes> streams = new ArrayList<>();

    @AfterEach
    void closeClients() {
        streams.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-will04");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        Mqtt5BlockingClient dying = clientWithWill(broker, root + "/dead");
        // 5.0 3.14.2.1: reason code 0x04 Disconnect with Will Message
        dying.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        Mqtt5Publish will = receive(watcher);
        assertThat(will.getTopic().toString()).isEqualTo(root + "/dead");
        assertThat(will.getPayloadAsBytes()).isEqualTo(bytes("gone"));
        assertThat(will.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    }

    @Test
    void normalDisconnectDiscardsTheWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-will00");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        Mqtt5BlockingClient dying = clientWithWill(broker, root + "/dead");
        dying.disconnect(); // reason 0x00: the will is discarded (MQTT-3.14.4-3)
        assertNextIsControl(broker, watcher, root);
    }

    @Test
    void delayedWillIsPublishedWhenItsDelayHasPassed(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-willdelay");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        String id = Ids.clientId("hive-willdelay");
        long closed;
        try (RawConnection dying = connectWithDelayedWill(broker, id, root + "/dead")) {
            closed = System.nanoTime();
        }
        assertThat(watcher.receive(1_500, TimeUnit.MILLISECONDS)).as("no will before the delay of %d s",
                WILL_DELAY_SECONDS).isEmpty();
        Mqtt5Publish will = receive(watcher);
        long afterMillis = (System.nanoTime() - closed) / 1_000_000;
        assertThat(will.getTopic().toString()).isEqualTo(root + "/dead");
        assertThat(afterMillis).as("will after %d ms", afterMillis).isBetween(1_900L, 6_000L);
        endSession(broker, id);
    }

    @Test
    void delayedWillIsPublishedWhenTheSessionEndsBeforeTheDelay(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-willexpiry");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        long closed;
        // session expiry 1 s, will delay 60 s: the session's end comes first (5.0 3.1.3.2.2, MQTT-3.1.2-8)
        try (RawConnection dying = connect5(broker, Ids.clientId("hive-willexp"), 1, 60, root + "/dead")) {
            closed = System.nanoTime();
        }
        Mqtt5Publish will = receive(watcher);
        long afterMillis = (System.nanoTime() - closed) / 1_000_000;
        assertThat(will.getTopic().toString()).isEqualTo(root + "/dead");
        assertThat(afterMillis).as("will after %d ms", afterMillis).isBetween(900L, 5_000L);
    }

    @Test
    void reconnectWithinTheWillDelayCancelsTheWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-willcancel");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        String id = Ids.clientId("hive-willcncl");
        connectWithDelayedWill(broker, id, root + "/dead").close();

        Mqtt5BlockingClient back = track(HiveClients.client(broker, id));
        Mqtt5ConnAck connAck = back.connectWith()
                .simpleAuth().username(MqttPackets.GUEST).password(bytes(MqttPackets.GUEST)).applySimpleAuth()
                .cleanStart(false).sessionExpiryInterval(60).send();
        assertThat(connAck.isSessionPresent()).as("the session of the dropped connection is resumed").isTrue();

        // MQTT-3.1.3-9: reconnected before the delay passed, so the will must never come; wait past the delay.
        assertThat(watcher.receive(WILL_DELAY_SECONDS * 1000 + 1_500, TimeUnit.MILLISECONDS))
                .as("will after a reconnect within its delay").isEmpty();
        assertNextIsControl(broker, watcher, root);
        back.disconnectWith().sessionExpiryInterval(0).send();
    }

    @Test
    void cleanStartOfTheSameClientIdEndsTheSessionAndSendsItsDelayedWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-willclean");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        String id = Ids.clientId("hive-willclean");
        // will delay 60 s, session expiry 60 s; the connection drops, then the client id starts clean
        connect5(broker, id, 60, 60, root + "/dead").close();
        HiveClients.connect(track(HiveClients.client(broker, id))); // clean start 1: the old session ends now

        // 5.0 3.1.3.2.2: the delay ends early when the session ends (MQTT-3.1.2-8: published once it ended)
        Optional<Mqtt5Publish> will = watcher.receive(5, TimeUnit.SECONDS);
        assertThat(will).as("the will when its session ended, long before its 60 s delay").isPresent();
        assertThat(will.get().getTopic().toString()).isEqualTo(root + "/dead");
    }

    @Test
    void takeoverWithCleanStartEndsTheSessionAndSendsItsDelayedWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("hive-willtake");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(broker, root + "/#");
        String id = Ids.clientId("hive-willtake");
        try (RawConnection first = connect5(broker, id, 60, 60, root + "/dead")) {
            HiveClients.connect(track(HiveClients.client(broker, id))); // takes over with clean start 1
            Packet disconnect = first.readPacket(WAIT);
            // MQTT-3.1.4-3: E0 LL 8E = DISCONNECT, Session taken over
            assertThat(disconnect.type()).as("packet %s", disconnect).isEqualTo(Packet.DISCONNECT);
            assertThat(disconnect.disconnectReason()).isEqualTo(0x8E);
        }
        // the old session ended with the takeover, so its will is due although its delay is 60 s (3.1.4)
        Optional<Mqtt5Publish> will = watcher.receive(5, TimeUnit.SECONDS);
        assertThat(will).as("the will of the taken-over session").isPresent();
        assertThat(will.get().getTopic().toString()).isEqualTo(root + "/dead");
    }

    /** Raw 5.0 CONNECT: clean start 0, session expiry 60 s, will "gone" delayed by WILL_DELAY_SECONDS. */
    private static RawConnection connectWithDelayedWill(RunningBroker broker, String id, String willTopic) {
        return connect5(broker, id, 60, WILL_DELAY_SECONDS, willTopic);
    }

    private static RawConnection connect5(RunningBroker broker, String id, long sessionExpiry, long willDelay,
                                          String willTopic) {
        RawConnection c = RawConnection.open(broker);
        c.send(WillPackets.connect5(id, 30, sessionExpiry, willTopic, "gone", willDelay));
        Packet connAck = c.readPacket(WAIT);
        assertThat(connAck.type()).as("packet %s", connAck).isEqualTo(Packet.CONNACK);
        assertThat(connAck.connackCode()).as("reason code of %s", connAck).isZero();
        return c;
    }

    /** Clean start and expiry 0: the session left by a raw test client ends now, not after 60 s. */
    private static void endSession(RunningBroker broker, String id) {
        try (RawConnection c = RawConnection.connected5(broker, id, 30)) {
            c.send(MqttPackets.DISCONNECT);
        }
    }

    private Mqtt5BlockingClient clientWithWill(RunningBroker broker, String willTopic) {
        Mqtt5BlockingClient client = track(HiveClients.client(broker, Ids.clientId("hive-dying")));
        client.connectWith()
                .simpleAuth().username(MqttPackets.GUEST).password(bytes(MqttPackets.GUEST)).applySimpleAuth()
                .willPublish().topic(willTopic).payload(bytes("gone")).qos(MqttQos.AT_LEAST_ONCE).applyWillPublish()
                .send();
        return client;
    }

    private Mqtt5BlockingClient.Mqtt5Publishes watch(RunningBroker broker, String filter) {
        Mqtt5BlockingClient watcher = track(HiveClients.connected(broker, Ids.clientId("hive-watch")));
        Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL);
        streams.add(publishes);
        watcher.subscribeWith().topicFilter(filter).qos(MqttQos.EXACTLY_ONCE).send();
        return publishes;
    }

    /** Publishes root/control and asserts it is the next (and so the only) message the watcher gets. */
    private void assertNextIsControl(RunningBroker broker, Mqtt5BlockingClient.Mqtt5Publishes watcher, String root)
            throws InterruptedException {
        Mqtt5BlockingClient publisher = track(HiveClients.connected(broker, Ids.clientId("hive-ctl")));
        publisher.publishWith().topic(root + "/control").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("control")).send();
        assertThat(receive(watcher).getTopic().toString()).as("next message after the will's chance")
                .isEqualTo(root + "/control");
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes watcher) throws InterruptedException {
        Optional<Mqtt5Publish> message = watcher.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", WAIT).isPresent();
        return message.get();
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient client) {
        clients.add(client);
        return client;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
