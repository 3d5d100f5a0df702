package org.eemqtt.it.flowcontrol;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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

/** MQTT 5.0 flow control (4.9): Receive Maximum in both directions. */
@ExtendWith(BrokerExtension.class)
class ReceiveMaximumIT {

    private static final int OUR_RECEIVE_MAXIMUM = 1024; // mqtt.receive.maximum default
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void connAckAnnouncesOurReceiveMaximum(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("rm-ack"));
        try {
            assertThat(HiveClients.connect(client).getRestrictions().getReceiveMaximum())
                    .isEqualTo(OUR_RECEIVE_MAXIMUM);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void clientExceedingOurReceiveMaximumIsDisconnectedWith0x93(RunningBroker broker) {
        String topic = Ids.topicRoot("rm-exceed") + "/t";
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("rm-exceed"))) {
            // QoS 2 PUBLISHes stay unacknowledged until PUBCOMP; no PUBREL is ever sent (MQTT-3.3.4-9 / 4.9)
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int id = 1; id <= OUR_RECEIVE_MAXIMUM + 1; id++) {
                burst.writeBytes(Raw5.publish(topic, 2, id, new byte[] {1}));
            }
            c.sendQuietly(burst.toByteArray());
            RawConnection.Closed closed = c.awaitClose(BadInput.CLOSE_WITHIN);
            List<Packet> packets = Packet.parseAll(closed.bytesBeforeClose());
            Packet last = packets.get(packets.size() - 1);
            assertThat(last.type()).isEqualTo(Packet.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x93);
            assertThat(packets.stream().filter(p -> p.type() == Packet.PUBREC).count())
                    .isEqualTo(OUR_RECEIVE_MAXIMUM);
        }
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void brokerNeverExceedsTheClientsReceiveMaximum(RunningBroker broker) {
        String topic = Ids.topicRoot("rm-window") + "/t";
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("rm-pub"));
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("rm-sub"),
                Raw5.u16Property(Raw5.RECEIVE_MAXIMUM, 3))) {
            c.send(MqttPackets.subscribe(1, topic, 1, true));
            assertThat(c.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            for (int i = 0; i < 10; i++) {
                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            List<Raw5.Publish> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                received.add(Raw5.parsePublish(c.readPacket(WAIT)));
            }
            c.assertStaysOpenSilently(Duration.ofSeconds(1)); // three unacknowledged: the window is full
            while (received.size() < 10) {
                Raw5.Publish oldest = received.get(received.size() - 3);
                c.send(MqttPackets.puback(oldest.packetId()));
                received.add(Raw5.parsePublish(c.readPacket(WAIT))); // one PUBACK opens room for one more
            }
            c.send(MqttPackets.puback(received.get(7).packetId()));
            c.send(MqttPackets.puback(received.get(8).packetId()));
            c.send(MqttPackets.puback(received.get(9).packetId()));
            assertThat(received).extracting(Raw5.Publish::payloadText)
                    .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        } finally {
            HiveClients.disconnectQuietly(publisher);
        }
    }

    @Test
    void hiveMqPublisherBurstStaysWithinOurWindowAndIsAllAcknowledged(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("rm-burst") + "/t";
        Mqtt5AsyncClient publisher = HiveClients.connected(broker, Ids.clientId("rm-burst")).toAsync();
        try {
            List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
            for (int i = 0; i < 3 * OUR_RECEIVE_MAXIMUM; i++) {
                results.add(publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE)
                        .payload(new byte[] {(byte) i}).send());
            }
            Set<String> errors = new HashSet<>();
            for (CompletableFuture<Mqtt5PublishResult> r : results) {
                r.get(60, TimeUnit.SECONDS).getError().ifPresent(e -> errors.add(e.toString()));
            }
            assertThat(errors).isEmpty();
            assertThat(publisher.getState().isConnected()).isTrue();
        } finally {
            HiveClients.disconnectQuietly(publisher.toBlocking());
        }
    }
}
