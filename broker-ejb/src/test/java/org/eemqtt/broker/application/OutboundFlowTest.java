package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.TestBroker.v5;

/** QoS 1/2 deliveries to subscribers: in-flight window, acknowledgements, packet identifiers. */
class OutboundFlowTest {

    private final TestBroker broker = new TestBroker(new VolatileSessionStore());
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    private TestClient subscriber(int receiveMaximum, QoS qos) {
        TestClient s = broker.connect(v5("sub").receiveMaximum(receiveMaximum));
        s.subscribe("t", qos);
        s.clear();
        return s;
    }

    private int lastPublishId(TestClient s) {
        return s.publishes().get(s.publishes().size() - 1).packetId();
    }

    @Test
    void qos1DeliveriesGetDistinctPacketIds() {
        TestClient s = subscriber(10, AT_LEAST_ONCE);
        publisher.publish("t", "1", AT_LEAST_ONCE);
        publisher.publish("t", "2", AT_LEAST_ONCE);
        publisher.publish("t", "3", AT_LEAST_ONCE);
        assertThat(s.publishes()).extracting(PublishPacket::packetId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isBetween(1, 65535));
    }

    @Test
    void receiveMaximumHoldsBackTheThirdMessageUntilPubAck() {
        TestClient s = subscriber(2, AT_LEAST_ONCE);
        publisher.publish("t", "1", AT_LEAST_ONCE);
        publisher.publish("t", "2", AT_LEAST_ONCE);
        publisher.publish("t", "3", AT_LEAST_ONCE);
        assertThat(s.payloads()).containsExactly("1", "2");
        s.pubAck(s.publishes().get(0).packetId());
        assertThat(s.payloads()).containsExactly("1", "2", "3");
        assertThat(s.publishes().get(2).dup()).isFalse();
    }

    @Test
    void pubAckFreesTheInFlightSlot() {
        TestClient s = subscriber(1, AT_LEAST_ONCE);
        for (int i = 1; i <= 5; i++) {
            publisher.publish("t", "m" + i, AT_LEAST_ONCE);
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(s.publishes()).hasSize(i);
            s.pubAck(lastPublishId(s));
        }
        assertThat(s.payloads()).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void pubAckForAnUnknownIdChangesNothing() {
        TestClient s = subscriber(1, AT_LEAST_ONCE);
        publisher.publish("t", "1", AT_LEAST_ONCE);
        publisher.publish("t", "2", AT_LEAST_ONCE);
        s.pubAck(lastPublishId(s) + 100);
        assertThat(s.payloads()).containsExactly("1");
    }

    @Test
    void qos0IsNotLimitedByTheWindow() {
        TestClient s = subscriber(1, AT_MOST_ONCE);
        publisher.publish("t", "1", AT_LEAST_ONCE);
        publisher.publish("t", "2", AT_LEAST_ONCE);
        assertThat(s.payloads()).containsExactly("1", "2");
    }

    @Test
    void qos2OutboundFlow() {
        TestClient s = subscriber(1, EXACTLY_ONCE);
        publisher.publish("t", "1", EXACTLY_ONCE);
        publisher.publish("t", "2", EXACTLY_ONCE);
        assertThat(s.payloads()).containsExactly("1");
        int id = lastPublishId(s);
        s.pubRec(id);
        assertThat(s.lastSent()).isEqualTo(new PubRelPacket(id, PubRelReasonCode.SUCCESS));
        assertThat(s.payloads()).containsExactly("1"); // PUBREC does not free the slot: PUBCOMP does
        s.pubComp(id);
        assertThat(s.payloads()).containsExactly("1", "2");
    }

    @Test
    void pubAckDoesNotCompleteAQos2Delivery() {
        TestClient s = subscriber(1, EXACTLY_ONCE);
        publisher.publish("t", "1", EXACTLY_ONCE);
        publisher.publish("t", "2", EXACTLY_ONCE);
        s.pubAck(lastPublishId(s));
        assertThat(s.payloads()).containsExactly("1");
    }

    @Test
    void pubCompBeforePubRecChangesNothing() {
        TestClient s = subscriber(1, EXACTLY_ONCE);
        publisher.publish("t", "1", EXACTLY_ONCE);
        publisher.publish("t", "2", EXACTLY_ONCE);
        s.pubComp(lastPublishId(s));
        assertThat(s.payloads()).containsExactly("1");
    }

    @Test
    void pubRecForAnUnknownIdIsAnsweredWithNotFound() {
        TestClient s = subscriber(1, EXACTLY_ONCE);
        s.pubRec(4242);
        assertThat(s.lastSent()).isEqualTo(new PubRelPacket(4242, PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
    }

    @Test
    void pubRecWithAnErrorEndsTheDelivery() {
        TestClient s = subscriber(1, EXACTLY_ONCE);
        publisher.publish("t", "1", EXACTLY_ONCE);
        publisher.publish("t", "2", EXACTLY_ONCE);
        int id = lastPublishId(s);
        s.send(new PubRecPacket(id, PubRecReasonCode.QUOTA_EXCEEDED));
        assertThat(s.sent(PubRelPacket.class)).isEmpty();
        assertThat(s.payloads()).containsExactly("1", "2");
    }

    @Test
    void aPubRelStaysUnacknowledgedUntilPubCompAlsoForV5() {
        // MQTT-4.3.3-5 (5.0): after PUBREC the PUBREL is what is outstanding; it is re-sent until PUBCOMP
        TestClient s = broker.connect(v5("rel5").persistent());
        s.subscribe("t", EXACTLY_ONCE);
        publisher.publish("t", "x", EXACTLY_ONCE);
        int id = s.publishes().get(0).packetId();
        s.pubRec(id);
        s.lose();
        TestClient back = broker.connect(v5("rel5").persistent());
        assertThat(back.publishes()).as("no PUBLISH again once PUBREL was sent").isEmpty();
        assertThat(back.sent(PubRelPacket.class)).containsExactly(new PubRelPacket(id, PubRelReasonCode.SUCCESS));
        back.pubComp(id);
        TestClient again = broker.connect(v5("rel5").persistent());
        assertThat(again.sent(PubRelPacket.class)).isEmpty();
    }
}
