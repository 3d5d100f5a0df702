package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.broker.application.TestBroker.v5;

/** MQTT 5.0 Message Expiry Interval (3.3.2.3.3): expired copies are not sent; forwarded ones carry what remains. */
class MessageExpiryTest {

    private final TestBroker broker = new TestBroker(new VolatileSessionStore());
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    private static PublishPacket expiring(String payload, boolean retain, int packetId, long seconds) {
        return new PublishPacket("t", AT_LEAST_ONCE, retain, false, packetId,
                payload.getBytes(StandardCharsets.UTF_8), PublishProperties.NONE.withMessageExpiryInterval(seconds));
    }

    @Test
    void theForwardedIntervalIsWhatRemains() {
        TestClient s = broker.connect(v5("sub"));
        s.subscribe("t", AT_LEAST_ONCE);
        publisher.send(expiring("a", false, 1, 60));
        publisher.publish("t", "no expiry", AT_LEAST_ONCE);
        assertThat(s.publishes().get(0).properties().messageExpiryInterval()).isBetween(1L, 60L);
        assertThat(s.publishes().get(1).properties().messageExpiryInterval()).isNull();
    }

    @Test
    void aMessageThatExpiresWhileQueuedIsNotDelivered() throws InterruptedException {
        TestClient s = broker.connect(v5("sub").persistent());
        s.subscribe("t", AT_LEAST_ONCE);
        s.disconnect();
        publisher.send(expiring("old", false, 1, 1));
        publisher.publish("t", "kept", AT_LEAST_ONCE);
        Thread.sleep(1_100); // the expiry interval is counted in whole seconds

        TestClient again = broker.connect(v5("sub").persistent());
        assertThat(again.payloads()).containsExactly("kept");
    }

    @Test
    void aQos2MessageAlreadySentIsResentAfterItsExpiry() throws InterruptedException {
        TestClient s = broker.connect(v5("sub").persistent());
        s.subscribe("t", QoS.EXACTLY_ONCE);
        publisher.send(new PublishPacket("t", QoS.EXACTLY_ONCE, false, false, 1,
                "in flight".getBytes(StandardCharsets.UTF_8), PublishProperties.NONE.withMessageExpiryInterval(1L)));
        assertThat(s.payloads()).containsExactly("in flight"); // sent, never acknowledged
        s.disconnect();
        Thread.sleep(1_100);

        // MQTT-4.3.3-7: once the PUBLISH was sent, expiry no longer applies to it; the resumed session re-sends it
        TestClient again = broker.connect(v5("sub").persistent());
        assertThat(again.payloads()).containsExactly("in flight");
        assertThat(again.publishes().get(0).dup()).isTrue();
    }

    @Test
    void anExpiredRetainedMessageIsNotSentToNewSubscribers() throws InterruptedException {
        publisher.send(expiring("short-lived", true, 1, 1));
        Thread.sleep(1_100);
        TestClient s = broker.connect(v5("late"));
        s.subscribe("t", QoS.AT_MOST_ONCE);
        assertThat(s.publishes()).isEmpty();
    }
}
