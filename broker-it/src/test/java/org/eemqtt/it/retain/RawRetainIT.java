package org.eemqtt.it.retain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Publish311;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RETAIN bit on the wire (MQTT 3.1.1): set for new subscriptions only, and re-sent on a repeated SUBSCRIBE. */
@ExtendWith(BrokerExtension.class)
class RawRetainIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void retainBitIsSetForANewSubscriptionAndClearedOnLiveForwards(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-retain");
        try (RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-rpub"), 30);
             RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-rsub"), 30)) {
            // 33 = PUBLISH QoS 1 RETAIN 1 | topic | 00 01 | "r1"
            pub.send(Publish311.retained(topic, 1, 1, "r1"));
            pub.expectBytes(Hex.bytes("40 02 00 01"), WAIT);

            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            Publish311 stored = Publish311.read(sub, WAIT);
            // MQTT-3.3.1-8: 33 = QoS 1 with RETAIN 1 for a message sent because of a new subscription
            assertThat(stored.firstByte()).as("first byte of %s", stored).isEqualTo(0x33);
            assertThat(stored.payload()).isEqualTo("r1");
            sub.send(MqttPackets.puback(stored.packetId()));

            pub.send(Publish311.retained(topic, 1, 2, "r2"));
            pub.expectBytes(Hex.bytes("40 02 00 02"), WAIT);
            Publish311 live = Publish311.read(sub, WAIT);
            // MQTT-3.3.1-9: 32 = QoS 1, RETAIN 0 on an established subscription although it was published retained
            assertThat(live.firstByte()).as("first byte of %s", live).isEqualTo(0x32);
            assertThat(live.payload()).isEqualTo("r2");
            sub.send(MqttPackets.puback(live.packetId()));

            pub.send(Publish311.retained(topic, 1, 3, "")); // 33 | topic | 00 03, no payload: delete it
            pub.expectBytes(Hex.bytes("40 02 00 03"), WAIT);
            // MQTT-3.3.1-10: the empty message is forwarded as normal (RETAIN 0), then nothing else
            Publish311 deletion = Publish311.read(sub, WAIT);
            assertThat(deletion.firstByte()).as("first byte of %s", deletion).isEqualTo(0x32);
            assertThat(deletion.payload()).isEmpty();
            sub.send(MqttPackets.puback(deletion.packetId()));
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    @Test
    void repeatedSubscribeReplacesTheSubscriptionAndResendsRetained(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-resub");
        try (RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-rpub"), 30);
             RawConnection sub = RawConnection.connected311(broker, Ids.clientId("raw-rsub"), 30)) {
            pub.send(Publish311.retained(topic, 1, 1, "kept"));
            pub.expectBytes(Hex.bytes("40 02 00 01"), WAIT);

            sub.send(MqttPackets.subscribe(1, topic, 1, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 01"), WAIT);
            Publish311 first = Publish311.read(sub, WAIT);
            assertThat(first.firstByte()).isEqualTo(0x33);
            sub.send(MqttPackets.puback(first.packetId()));

            // MQTT-3.8.4-3: the same filter again, now at QoS 0: it replaces the subscription (no second one) and
            // the retained message is sent again, at the new maximum QoS: 31 = QoS 0, RETAIN 1
            sub.send(MqttPackets.subscribe(2, topic, 0, false));
            sub.expectBytes(Hex.bytes("90 03 00 02 00"), WAIT);
            Publish311 again = Publish311.read(sub, WAIT);
            assertThat(again.firstByte()).as("first byte of %s", again).isEqualTo(0x31);
            assertThat(again.payload()).isEqualTo("kept");

            pub.send(MqttPackets.publish(topic, 1, 2, "live".getBytes(), false));
            pub.expectBytes(Hex.bytes("40 02 00 02"), WAIT);
            Publish311 live = Publish311.read(sub, WAIT);
            assertThat(live.firstByte()).as("one copy, at the replacing subscription's QoS 0").isEqualTo(0x30);
            assertThat(live.payload()).isEqualTo("live");
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT); // no second copy from a left-over QoS 1 subscription

            pub.send(Publish311.retained(topic, 1, 3, "")); // clean up
            pub.expectBytes(Hex.bytes("40 02 00 03"), WAIT);
        }
    }

    @Test
    void mqtt5NonRetainedPublishNeitherStoresNorRemovesTheRetainedMessage(RunningBroker broker) {
        String topic = Ids.topicRoot("raw-keep5");
        try (RawConnection pub = RawConnection.connected5(broker, Ids.clientId("raw-kpub5"), 30)) {
            byte[] retained = MqttPackets.publish(topic, 0, 0, "kept".getBytes(), true);
            retained[0] |= 0x01; // RETAIN 1
            pub.send(retained);
            pub.send(MqttPackets.publish(topic, 0, 0, "live".getBytes(), true)); // MQTT-3.3.1-8: RETAIN 0
            pub.send(MqttPackets.PINGREQ);
            pub.expectBytes(MqttPackets.PINGRESP, WAIT);
            try (RawConnection sub = RawConnection.connected5(broker, Ids.clientId("raw-ksub5"), 30)) {
                sub.send(MqttPackets.subscribe(1, topic, 0, true));
                assertThat(sub.readPacket(WAIT).type()).isEqualTo(org.eemqtt.it.support.Packet.SUBACK);
                org.eemqtt.it.support.Packet got = sub.readPacket(WAIT);
                // the retained message is still "kept" (not "live"), sent with RETAIN 1
                assertThat(got.firstByte()).as("%s", got).isEqualTo(0x31);
                assertThat(org.eemqtt.it.support.Raw5.parsePublish(got).payloadText()).isEqualTo("kept");
            }
            byte[] clear = MqttPackets.publish(topic, 0, 0, new byte[0], true);
            clear[0] |= 0x01;
            pub.send(clear); // clean up
        }
    }
}
