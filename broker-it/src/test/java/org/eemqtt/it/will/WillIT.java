package org.eemqtt.it.will;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RecordingCallback.Received;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 3.1.1 wills (3.1.2.5): the dying client is a raw socket with a will in its CONNECT, the watchers are Eclipse
 * Paho subscribers. "Nothing arrived" is checked after a later control message has arrived, plus a grace time.
 */
@ExtendWith(BrokerExtension.class)
class WillIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration GRACE = Duration.ofMillis(500);

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @Test
    void willIsPublishedWhenTheConnectionClosesWithoutDisconnect(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-close");
        RecordingCallback watcher = watch(broker, root + "/#");
        RawConnection dying = connectWithWill(broker, Ids.clientId("will-close"), 30, root + "/dead", 1, false);
        dying.close(); // MQTT-3.1.2-8: closed without DISCONNECT

        Received will = watcher.next(WAIT);
        assertThat(will.topic()).isEqualTo(root + "/dead");
        assertThat(will.text()).isEqualTo("gone");
        assertThat(will.qos()).isEqualTo(1);
        assertThat(will.retained()).as("will retain 0: published as non-retained (MQTT-3.1.2-16)").isFalse();
    }

    @Test
    void willIsPublishedWhenKeepAliveExpires(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-ka");
        RecordingCallback watcher = watch(broker, root + "/#");
        // keep alive 1 s (CONNECT bytes 9-10: 00 01), then silence: closed after 1.5 s (MQTT-3.1.2-24)
        try (RawConnection silent = connectWithWill(broker, Ids.clientId("will-ka"), 1, root + "/dead", 0, false)) {
            long connected = System.nanoTime();
            Await.sleep(Duration.ofMillis(900));
            assertThat(watcher.all()).as("no will while the keep alive has not run out").isEmpty();

            Received will = watcher.next(Duration.ofSeconds(5));
            long afterMillis = (System.nanoTime() - connected) / 1_000_000;
            assertThat(will.topic()).isEqualTo(root + "/dead");
            assertThat(afterMillis).as("will published %d ms after CONNACK (1.5 x 1 s keep alive + slack)",
                    afterMillis).isBetween(1_000L, 4_500L);
            silent.awaitClose(BadInput.CLOSE_WITHIN);
        }
    }

    @Test
    void willIsPublishedWhenTheBrokerClosesForAProtocolViolation(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-violation");
        RecordingCallback watcher = watch(broker, root + "/#");
        String id = Ids.clientId("will-violation");
        try (RawConnection c = connectWithWill(broker, id, 30, root + "/dead", 1, false)) {
            c.sendQuietly(MqttPackets.connect311(id, 30)); // a second CONNECT: protocol violation (MQTT-3.1.0-2)
            BadInput.assertClosedSilently(c, "second CONNECT of a client with a will");
        }
        assertThat(watcher.next(WAIT).topic()).isEqualTo(root + "/dead");
    }

    @Test
    void willIsPublishedWhenAnotherConnectionTakesTheClientIdOver(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-takeover");
        RecordingCallback watcher = watch(broker, root + "/#");
        String id = Ids.clientId("will-takeover");
        try (RawConnection first = connectWithWill(broker, id, 30, root + "/dead", 1, false);
             RawConnection second = RawConnection.connected311(broker, id, 30)) {
            BadInput.assertClosedSilently(first, "connection taken over (MQTT-3.1.4-2)");
            assertThat(watcher.next(WAIT).topic()).isEqualTo(root + "/dead");
            second.send(MqttPackets.PINGREQ);
            second.expectBytes(MqttPackets.PINGRESP, WAIT);
            second.send(MqttPackets.DISCONNECT);
        }
        assertOnlyControlArrives(broker, watcher, root, 1);
    }

    @Test
    void normalDisconnectDiscardsTheWill(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-disc");
        RecordingCallback watcher = watch(broker, root + "/#");
        try (RawConnection c = connectWithWill(broker, Ids.clientId("will-disc"), 30, root + "/dead", 1, false)) {
            c.send(MqttPackets.DISCONNECT); // MQTT-3.14.4-3: the will is discarded
            BadInput.assertClosedSilently(c, "after DISCONNECT");
        }
        assertOnlyControlArrives(broker, watcher, root, 0);
    }

    @Test
    void disconnectRightBehindConnectDiscardsTheWillAlthoughTheSocketClosesAtOnce(RunningBroker broker)
            throws Exception {
        String root = Ids.topicRoot("will-fast");
        RecordingCallback watcher = watch(broker, root + "/#");
        // CONNECT and DISCONNECT in one write, then the socket closes before the broker has answered CONNECT:
        // the DISCONNECT arrives while CONNECT is still being handled, and it still discards the will
        // (MQTT-3.14.4-3), as a client that disconnects right after CONNACK expects.
        byte[] connect = WillPackets.connect311(Ids.clientId("will-fast"), 30, true, root + "/dead", "gone", 1, false);
        byte[] both = Arrays.copyOf(connect, connect.length + MqttPackets.DISCONNECT.length);
        System.arraycopy(MqttPackets.DISCONNECT, 0, both, connect.length, MqttPackets.DISCONNECT.length);
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(both);
        }
        assertOnlyControlArrives(broker, watcher, root, 0);
    }

    @ParameterizedTest(name = "will QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void willQosAndRetainAreHonoured(int willQos, RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-qos");
        String topic = root + "/status";
        RecordingCallback watcher = watch(broker, root + "/#");
        connectWithWill(broker, Ids.clientId("will-qos"), 30, topic, willQos, true).close();

        Received live = watcher.next(WAIT);
        assertThat(live.qos()).as("QoS of the will (subscription QoS 2)").isEqualTo(willQos);
        assertThat(live.retained()).as("a live forward has RETAIN 0 (MQTT-3.3.1-9)").isFalse();

        RecordingCallback late = watch(broker, topic);
        Received retained = late.next(WAIT);
        assertThat(retained.text()).isEqualTo("gone");
        assertThat(retained.qos()).isEqualTo(willQos);
        assertThat(retained.retained()).as("will retain 1: kept as retained (MQTT-3.1.2-17)").isTrue();

        clients.get(0).publish(topic, new byte[0], 0, true); // delete the retained will
    }

    @Test
    void willWithoutRetainIsNotKept(RunningBroker broker) throws Exception {
        String root = Ids.topicRoot("will-noretain");
        RecordingCallback watcher = watch(broker, root + "/#");
        connectWithWill(broker, Ids.clientId("will-noret"), 30, root + "/dead", 1, false).close();
        assertThat(watcher.next(WAIT).topic()).isEqualTo(root + "/dead");

        RecordingCallback late = watch(broker, root + "/#");
        assertOnlyControlArrives(broker, late, root, 0);
    }

    /** Opens a raw 3.1.1 connection with a clean session and the will "gone" on {@code willTopic}. */
    private static RawConnection connectWithWill(RunningBroker broker, String clientId, int keepAlive,
                                                 String willTopic, int willQos, boolean willRetain) {
        RawConnection c = RawConnection.open(broker);
        c.send(WillPackets.connect311(clientId, keepAlive, true, willTopic, "gone", willQos, willRetain));
        c.expectBytes(MqttPackets.CONNACK_ACCEPTED, WAIT);
        return c;
    }

    /** A Paho subscriber to the filter at QoS 2. */
    private RecordingCallback watch(RunningBroker broker, String filter) throws Exception {
        RecordingCallback callback = new RecordingCallback();
        MqttClient client = PahoClients.connect(broker, Ids.clientId("will-watch"), true, callback);
        clients.add(client);
        client.subscribe(filter, 2);
        return callback;
    }

    /** Publishes root/control; once it has arrived (and a grace time passed) the watcher saw nothing else new. */
    private void assertOnlyControlArrives(RunningBroker broker, RecordingCallback watcher, String root,
                                          int alreadyReceived) throws Exception {
        MqttClient publisher = PahoClients.connect(broker, Ids.clientId("will-ctl"), true, null);
        clients.add(publisher);
        publisher.publish(root + "/control", PahoClients.utf8("control"), 1, false);
        assertThat(watcher.next(WAIT).topic()).isEqualTo(root + "/control");
        Await.sleep(GRACE);
        assertThat(watcher.all()).extracting(Received::topic).as("no will may arrive")
                .hasSize(alreadyReceived + 1).endsWith(root + "/control");
    }
}
