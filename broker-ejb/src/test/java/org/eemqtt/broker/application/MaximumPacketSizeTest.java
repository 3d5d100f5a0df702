package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/**
 * MQTT-3.1.2-24/25 (5.0): nothing larger than the client's Maximum Packet Size is sent to it; MQTT-3.14.2-3: a
 * DISCONNECT goes without its Reason String rather than beyond that size.
 */
class MaximumPacketSizeTest {

    private final TestBroker broker = new TestBroker(new VolatileSessionStore());
    private final TestClient publisher = broker.connect(v311("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aTooLargePublishIsDiscardedAndTakesNoPlaceInTheWindow() {
        // PUBLISH to "t" at QoS 1 for 5.0: 1 + 1 (length) + 2 + 1 (topic) + 2 (id) + 1 (properties) + payload,
        // so a limit of 20 bytes lets 12 payload bytes through and not 13.
        TestClient s = broker.connect(v5("small").maximumPacketSize(20).receiveMaximum(1));
        s.subscribe("t", AT_LEAST_ONCE);
        publisher.publish("t", "x".repeat(13), AT_LEAST_ONCE);
        publisher.publish("t", "y".repeat(12), AT_LEAST_ONCE);
        assertThat(s.payloads()).containsExactly("y".repeat(12));
    }

    @Test
    void qos0IsDiscardedToo() {
        TestClient s = broker.connect(v5("small0").maximumPacketSize(20));
        s.subscribe("t", AT_MOST_ONCE);
        publisher.publish("t", "z".repeat(15), QoS.AT_MOST_ONCE); // 1 + 1 + 3 + 1 + 15 = 21 bytes
        publisher.publish("t", "w".repeat(14), QoS.AT_MOST_ONCE); // 20 bytes
        assertThat(s.payloads()).containsExactly("w".repeat(14));
    }

    @Test
    void subscriptionIdentifiersCountTowardsTheSize() {
        TestClient s = broker.connect(v5("ids").maximumPacketSize(20));
        s.subscribe(300, new org.eemqtt.api.packet.SubscriptionRequest("t", AT_MOST_ONCE, false, false, 0));
        // 20 bytes without the identifier; property 0x0B with 300 (2-byte variable integer) adds 3
        publisher.publish("t", "v".repeat(14), QoS.AT_MOST_ONCE);
        publisher.publish("t", "u".repeat(11), QoS.AT_MOST_ONCE);
        assertThat(s.payloads()).containsExactly("u".repeat(11));
    }

    @Test
    void theReasonStringOfADisconnectIsLeftOutWhenItWouldNotFit() {
        TestClient small = broker.connect(v5("small-d").maximumPacketSize(32));
        small.send(v5("small-d").build()); // a second CONNECT: DISCONNECT 0x82, whose reason string is longer
        DisconnectPacket cut = lastDisconnect(small);
        assertThat(cut.reasonCode()).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
        assertThat(cut.reasonString()).isNull();

        TestClient roomy = broker.connect(v5("roomy-d").maximumPacketSize(1_000));
        roomy.send(v5("roomy-d").build());
        DisconnectPacket whole = lastDisconnect(roomy);
        assertThat(whole.reasonCode()).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
        assertThat(whole.reasonString()).isNotBlank();
        assertThat(ClientConnection.disconnectSizeWithReason(whole.reasonString())).isGreaterThan(32)
                .isLessThanOrEqualTo(1_000);
    }

    private static DisconnectPacket lastDisconnect(TestClient c) {
        assertThat(c.transport.closes()).hasSize(1);
        return (DisconnectPacket) c.transport.closes().get(0).lastPacket();
    }
}
