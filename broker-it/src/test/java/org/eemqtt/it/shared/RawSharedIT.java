package org.eemqtt.it.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eemqtt.it.support.Await;
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
 * Shared subscriptions driven by raw sockets where a library would not misbehave on purpose: a member that leaves
 * without acknowledging, No Local on a shared subscription, malformed share names.
 */
@ExtendWith(BrokerExtension.class)
class RawSharedIT {

    private static final Duration READ = Duration.ofSeconds(10);

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final List<RawConnection> raws = new ArrayList<>();

    @AfterEach
    void close() {
        raws.forEach(RawConnection::close);
        clients.forEach(HiveClients::disconnectQuietly);
    }

    @Test
    void unacknowledgedQos1MessagesOfAMemberThatLeavesReachAnotherMember(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-share-leave");
        String filter = "$share/g/" + topic;
        // A 3.1.1 member with a clean session: its session ends when its connection does.
        RawConnection leaver = raw(RawConnection.connected311(broker, Ids.clientId("raw-leaver"), 30));
        leaver.send(MqttPackets.subscribe(1, filter, 1, false));
        // SUBACK: 90 = type 9, 03 = remaining length, 00 01 = packet id 1, 01 = granted QoS 1
        leaver.expectBytes(new byte[] {(byte) 0x90, 0x03, 0x00, 0x01, 0x01}, READ);

        Mqtt5BlockingClient publisher = track(HiveClients.connected(broker, Ids.clientId("raw-pub")));
        List<String> sent = List.of("one", "two", "three");
        sent.forEach(p -> publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(p.getBytes(StandardCharsets.UTF_8)).send());
        List<String> toLeaver = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Packet publish = leaver.readPacket(READ);
            assertThat(publish.type()).as("packet %s", publish).isEqualTo(Packet.PUBLISH);
            assertThat(publish.flags() & 0x06).as("QoS 1 in %s", publish).isEqualTo(0x02);
            toLeaver.add(payloadOf311QoS1(publish));
        }
        assertThat(toLeaver).as("the only member gets all three").isEqualTo(sent);

        List<String> received = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient stayer = track(HiveClients.client(broker, Ids.clientId("raw-stayer")));
        stayer.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        HiveClients.connect(stayer);
        stayer.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        Await.sleep(Duration.ofMillis(300));
        assertThat(received).as("while the first member is connected its messages stay with it").isEmpty();

        leaver.close(); // no PUBACK was sent, no DISCONNECT either
        Await.until(READ, () -> received.size() >= sent.size(),
                () -> "the other member received " + received + "; broker: " + broker.describe());
        Await.sleep(Duration.ofMillis(500));
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void noLocalOnASharedSubscriptionIsDisconnectProtocolError(RunningBroker broker) {
        RawConnection c = raw(RawConnection.connected5(broker, Ids.clientId("raw-nolocal"), 30));
        // options byte 0x05: bit 2 No Local, bits 0-1 QoS 1
        c.send(MqttPackets.subscribe(1, "$share/g/" + Ids.topicRoot("raw-nolocal"), 0x05, true));
        Packet answer = c.readPacket(READ);
        assertThat(answer.type()).as("DISCONNECT instead of SUBACK: %s", answer).isEqualTo(Packet.DISCONNECT);
        assertThat(answer.disconnectReason()).as("MQTT-3.8.3-4: Protocol Error").isEqualTo(0x82);
        c.awaitClose(READ);
    }

    @Test
    void malformedShareNamesAreRefusedWithSubAck0x8F(RunningBroker broker) {
        RawConnection c = raw(RawConnection.connected5(broker, Ids.clientId("raw-badshare"), 30));
        List<String> malformed = List.of("$share//t", "$share/g", "$share/#/t", "$share/g/a/#/b");
        int packetId = 1;
        for (String filter : malformed) {
            c.send(MqttPackets.subscribe(packetId, filter, 1, true));
            Packet subAck = c.readPacket(READ);
            assertThat(subAck.type()).as("SUBACK for %s: %s", filter, subAck).isEqualTo(Packet.SUBACK);
            assertThat(subAck.packetId()).isEqualTo(packetId);
            // body: packet id (2), property length 0 (1), one reason code
            assertThat(subAck.body()[subAck.body().length - 1] & 0xFF).as("reason for %s", filter).isEqualTo(0x8F);
            packetId++;
        }
        c.send(MqttPackets.PINGREQ);
        c.expectBytes(MqttPackets.PINGRESP, READ); // still served
    }

    @Test
    void malformedShareNamesAreRefusedWith0x80For311(RunningBroker broker) {
        RawConnection c = raw(RawConnection.connected311(broker, Ids.clientId("raw-badshare3"), 30));
        c.send(MqttPackets.subscribe(7, "$share//t", 1, false));
        // SUBACK: 90, 03 = remaining length, 00 07 = packet id 7, 80 = failure
        c.expectBytes(new byte[] {(byte) 0x90, 0x03, 0x00, 0x07, (byte) 0x80}, READ);
    }

    /** A 3.1.1 QoS 1 PUBLISH body: topic (2-byte length + bytes), packet id (2 bytes), then the payload. */
    private static String payloadOf311QoS1(Packet publish) {
        byte[] body = publish.body();
        int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        int payloadStart = 2 + topicLength + 2;
        return new String(Arrays.copyOfRange(body, payloadStart, body.length), StandardCharsets.UTF_8);
    }

    private RawConnection raw(RawConnection c) {
        raws.add(c);
        return c;
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient client) {
        clients.add(client);
        return client;
    }
}
