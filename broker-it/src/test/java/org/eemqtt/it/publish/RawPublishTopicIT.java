package org.eemqtt.it.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Hex;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Publish311;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Topic names of PUBLISH, byte by byte: no wildcards in a topic name (MQTT 3.1.1 / 5.0 4.7.1, 3.3.2-2), and topics
 * matched exactly as sent, without Unicode normalization (4.7.3-4).
 */
@ExtendWith(BrokerExtension.class)
class RawPublishTopicIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MALFORMED_PACKET = 0x81;

    @Test
    void mqtt311PublishToATopicWithAWildcardIsClosed(RunningBroker broker) {
        for (String level : new String[] {"+", "#"}) {
            try (RawConnection c = RawConnection.connected311(broker, Ids.clientId("wild311"), 30)) {
                c.sendQuietly(MqttPackets.publish(Ids.topicRoot("wild") + "/" + level, 1, 1, bytes("x"), false));
                BadInput.assertClosedSilently(c, "PUBLISH to a topic with '" + level + "' (3.1.1)");
            }
        }
        BadInput.assertBrokerStillServes(broker);
    }

    @Test
    void mqtt5PublishToATopicWithAWildcardGetsDisconnectMalformed(RunningBroker broker) {
        for (String level : new String[] {"+", "#"}) {
            try (RawConnection c = RawConnection.connected5(broker, Ids.clientId("wild5"), 30)) {
                c.sendQuietly(MqttPackets.publish(Ids.topicRoot("wild") + "/" + level, 0, 0, bytes("x"), true));
                // Netty's decoder refuses the topic before the broker sees it, so the answer is 0x81 Malformed
                // Packet rather than the broker's own 0x90 Topic Name invalid (PublishFlowTest)
                BadInput.assertDisconnectThenClose(c, MALFORMED_PACKET, "PUBLISH to a topic with '" + level + "'");
            }
        }
    }

    @Test
    void topicsAreMatchedWithoutUnicodeNormalization(RunningBroker broker) {
        String root = Ids.topicRoot("nfc");
        String composed = root + "/caf\u00e9";     // é as one code point (NFC)
        String decomposed = root + "/cafe\u0301";  // e + combining acute accent (NFD): looks the same
        // a 3.1.1 and a 5.0 subscriber on the composed form, a publisher sending both forms
        try (RawConnection sub = RawConnection.connected311(broker, Ids.clientId("nfc-sub"), 30);
             RawConnection sub5 = RawConnection.connected5(broker, Ids.clientId("nfc-sub5"), 30);
             RawConnection pub = RawConnection.connected311(broker, Ids.clientId("nfc-pub"), 30)) {
            sub.send(MqttPackets.subscribe(1, composed, 0, false));
            sub.expectBytes(Hex.bytes("90 03 00 01 00"), WAIT);
            sub5.send(MqttPackets.subscribe(1, composed, 0, true));
            assertThat(sub5.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            pub.send(MqttPackets.publish(decomposed, 0, 0, bytes("decomposed"), false));
            pub.send(MqttPackets.publish(composed, 0, 0, bytes("composed"), false));
            Publish311 got = Publish311.read(sub, WAIT);
            // only the byte-identical topic matches, and its name comes back unchanged
            assertThat(got.payload()).isEqualTo("composed");
            assertThat(got.topic()).isEqualTo(composed);
            Raw5.Publish got5 = Raw5.parsePublish(sub5.readPacket(WAIT));
            assertThat(got5.payloadText()).isEqualTo("composed");
            assertThat(got5.topic()).isEqualTo(composed);
            sub.send(MqttPackets.PINGREQ);
            sub.expectBytes(MqttPackets.PINGRESP, WAIT);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void byteOrderMarkInATopicIsKept(RunningBroker broker) {
        // MQTT-1.5.4-3: EF BB BF is U+FEFF wherever it appears; the broker neither skips nor strips it
        String topic = "\uFEFF" + Ids.topicRoot("bom");
        try (RawConnection sub = RawConnection.connected5(broker, Ids.clientId("bom-sub5"), 30);
             RawConnection pub = RawConnection.connected5(broker, Ids.clientId("bom-pub5"), 30)) {
            sub.send(MqttPackets.subscribe(1, topic, 0, true));
            assertThat(sub.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);
            pub.send(MqttPackets.publish(topic.substring(1), 0, 0, bytes("without"), true));
            pub.send(MqttPackets.publish(topic, 0, 0, bytes("with"), true));
            Raw5.Publish got = Raw5.parsePublish(sub.readPacket(WAIT));
            assertThat(got.payloadText()).isEqualTo("with");
            assertThat(got.topic()).startsWith("\uFEFF").isEqualTo(topic);
        }
    }
}
