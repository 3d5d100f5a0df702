package org.eemqtt.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Publishes one message from a short-lived 3.1.1 raw connection and completes its flow, so it is routed. */
public final class RawPublisher {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RawPublisher() {
    }

    /**
     * Connects, publishes with packet id 9 at the QoS, waits for PUBACK (1) or runs PUBREC/PUBREL/PUBCOMP (2), or
     * for QoS 0 waits for a PINGRESP (which shows the PUBLISH before it was read), then disconnects.
     */
    public static void publish(RunningBroker broker, String topic, int qos, String payload) {
        try (RawConnection pub = RawConnection.connected311(broker, Ids.clientId("raw-pub"), 30)) {
            pub.send(MqttPackets.publish(topic, qos, 9, payload.getBytes(StandardCharsets.UTF_8), false));
            if (qos == 1) {
                pub.expectBytes(Hex.bytes("40 02 00 09"), WAIT);
            } else if (qos == 2) {
                pub.expectBytes(Hex.bytes("50 02 00 09"), WAIT);
                pub.send(MqttPackets.pubrel(9));
                pub.expectBytes(Hex.bytes("70 02 00 09"), WAIT);
            } else {
                pub.send(MqttPackets.PINGREQ);
                pub.expectBytes(MqttPackets.PINGRESP, WAIT);
            }
            pub.send(MqttPackets.DISCONNECT);
        }
    }
}
