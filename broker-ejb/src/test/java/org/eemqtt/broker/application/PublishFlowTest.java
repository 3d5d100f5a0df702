package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.ControllableStore.Step.MESSAGE_ACCEPTED;
import static org.eemqtt.broker.application.ControllableStore.Step.RELEASE_RECEIVED;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** Inbound PUBLISH from clients: routing, QoS downgrade, acknowledgements and their wait for the store. */
class PublishFlowTest {

    private final ControllableStore store = new ControllableStore();
    private final TestBroker broker = new TestBroker(store);
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void qos0IsForwarded() {
        TestClient s = broker.subscriber("s", "a/b", AT_MOST_ONCE);
        publisher.publish("a/b", "hello", AT_MOST_ONCE);
        assertThat(s.publishes()).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("a/b");
            assertThat(p.qos()).isEqualTo(AT_MOST_ONCE);
            assertThat(p.packetId()).isZero();
            assertThat(p.retain()).isFalse();
            assertThat(p.dup()).isFalse();
        });
        assertThat(s.payloads()).containsExactly("hello");
        assertThat(publisher.transport.sent()).hasSize(1); // the CONNACK only: QoS 0 is not acknowledged
    }

    @Test
    void qosIsDowngradedToTheGrantedMaximum() {
        TestClient s0 = broker.subscriber("s0", "t", AT_MOST_ONCE);
        TestClient s1 = broker.subscriber("s1", "t", AT_LEAST_ONCE);
        TestClient s2 = broker.subscriber("s2", "t", EXACTLY_ONCE);
        publisher.publish("t", "q2", EXACTLY_ONCE);
        publisher.publish("t", "q1", AT_LEAST_ONCE);
        assertThat(s0.publishes()).extracting(PublishPacket::qos).containsExactly(AT_MOST_ONCE, AT_MOST_ONCE);
        assertThat(s1.publishes()).extracting(PublishPacket::qos).containsExactly(AT_LEAST_ONCE, AT_LEAST_ONCE);
        assertThat(s2.publishes()).extracting(PublishPacket::qos).containsExactly(EXACTLY_ONCE, AT_LEAST_ONCE);
        assertThat(s1.publishes()).allSatisfy(p -> assertThat(p.packetId()).isPositive());
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyAtTheHighestQosWithAllIdentifiers() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe(7, new SubscriptionRequest("a/+", AT_MOST_ONCE, false, false, 0));
        s.subscribe(9, new SubscriptionRequest("a/#", EXACTLY_ONCE, false, false, 0));
        s.subscribe(null, new SubscriptionRequest("a/b", AT_LEAST_ONCE, false, false, 0));
        s.clear();
        publisher.publish("a/b", "once", EXACTLY_ONCE);
        assertThat(s.publishes()).singleElement().satisfies(p -> {
            assertThat(p.qos()).isEqualTo(EXACTLY_ONCE);
            assertThat(p.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(7, 9);
        });
    }

    @Test
    void qos1IsAcknowledgedWithPubAck() {
        broker.subscriber("s", "t", AT_LEAST_ONCE);
        int id = publisher.publish("t", "x", AT_LEAST_ONCE);
        int unmatched = publisher.publish("nobody/listens", "x", AT_LEAST_ONCE);
        assertThat(publisher.sent(PubAckPacket.class)).containsExactly(
                new PubAckPacket(id, PubAckReasonCode.SUCCESS),
                new PubAckPacket(unmatched, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS));
    }

    @Test
    void pubAckWaitsForTheStore() {
        TestClient s = broker.subscriber("s", "t", AT_LEAST_ONCE);
        store.hold(MESSAGE_ACCEPTED);
        int id = publisher.publish("t", "x", AT_LEAST_ONCE);
        assertThat(store.pendingCount()).isEqualTo(1);
        assertThat(publisher.sent(PubAckPacket.class)).isEmpty();
        assertThat(s.publishes()).isEmpty();
        store.releaseAll();
        assertThat(publisher.sent(PubAckPacket.class)).containsExactly(new PubAckPacket(id, PubAckReasonCode.SUCCESS));
        assertThat(s.payloads()).containsExactly("x");
    }

    @Test
    void qos2InboundFlow() {
        TestClient s = broker.subscriber("s", "t", EXACTLY_ONCE);
        int id = publisher.publish("t", "x", EXACTLY_ONCE);
        assertThat(publisher.lastSent()).isEqualTo(new PubRecPacket(id, PubRecReasonCode.SUCCESS));
        assertThat(s.payloads()).containsExactly("x");
        publisher.pubRel(id);
        assertThat(publisher.lastSent()).isEqualTo(new PubCompPacket(id, PubCompReasonCode.SUCCESS));
    }

    @Test
    void retransmittedQos2PublishIsNotDeliveredTwice() {
        TestClient s = broker.subscriber("s", "t", AT_LEAST_ONCE);
        publisher.send(TestClient.publishPacket("t", "x", EXACTLY_ONCE, false, false, 5));
        publisher.send(TestClient.publishPacket("t", "x", EXACTLY_ONCE, false, true, 5));
        assertThat(s.payloads()).containsExactly("x");
        assertThat(publisher.sent(PubRecPacket.class)).extracting(PubRecPacket::packetId).containsExactly(5, 5);
        publisher.pubRel(5);
        // after PUBREL the identifier is free: the same id now carries a new message
        publisher.send(TestClient.publishPacket("t", "y", EXACTLY_ONCE, false, false, 5));
        assertThat(s.payloads()).containsExactly("x", "y");
    }

    @Test
    void pubRelForAnUnknownIdIsAnsweredWithNotFound() {
        publisher.pubRel(77);
        assertThat(publisher.lastSent())
                .isEqualTo(new PubCompPacket(77, PubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
    }

    @Test
    void pubRecAndPubCompWaitForTheStore() {
        broker.subscriber("s", "t", EXACTLY_ONCE);
        store.hold(MESSAGE_ACCEPTED);
        int id = publisher.publish("t", "x", EXACTLY_ONCE);
        assertThat(publisher.sent(PubRecPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(publisher.sent(PubRecPacket.class)).hasSize(1);
        store.hold(RELEASE_RECEIVED);
        publisher.pubRel(id);
        assertThat(publisher.sent(PubCompPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(publisher.sent(PubCompPacket.class)).containsExactly(
                new PubCompPacket(id, PubCompReasonCode.SUCCESS));
    }

    @Test
    void retransmittedQos2PublishIsNotAcknowledgedBeforeTheOriginalIsStored() {
        // The SessionStore contract: every PUBREC leaves from a store completion. A retransmission that arrives
        // (on a new connection of a persistent session) while the original is still being stored must not be
        // acknowledged before that store completes, or the publisher would drop a message the broker can lose.
        TestClient p = broker.connect(v5("p2").persistent());
        broker.subscriber("s", "t", EXACTLY_ONCE);
        store.hold(MESSAGE_ACCEPTED);
        p.send(TestClient.publishPacket("t", "x", EXACTLY_ONCE, false, false, 9));
        p.lose();
        TestClient again = broker.connect(v5("p2").persistent());
        again.send(TestClient.publishPacket("t", "x", EXACTLY_ONCE, false, true, 9));
        assertThat(again.sent(PubRecPacket.class)).isEmpty();
        store.releaseAll();
    }

    @Test
    void invalidTopicNameClosesTheConnection() {
        publisher.publish("a/+", "x", AT_MOST_ONCE);
        DisconnectPacket d = (DisconnectPacket) publisher.transport.closes().get(0).lastPacket();
        assertThat(d.reasonCode()).isEqualTo(DisconnectReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void packetsAfterACloseAreIgnored() {
        TestClient s = broker.subscriber("s", "t", AT_MOST_ONCE);
        publisher.publish("bad/#", "x", AT_MOST_ONCE);
        publisher.publish("t", "late", AT_MOST_ONCE);
        assertThat(s.publishes()).isEmpty();
    }

    @Test
    void noLocalSubscriptionsSkipTheirOwnMessages() {
        TestClient me = broker.connect(v5("me"));
        me.subscribe(null, new SubscriptionRequest("chat", AT_MOST_ONCE, true, false, 0));
        TestClient other = broker.subscriber("other", "chat", AT_MOST_ONCE);
        me.clear();
        me.publish("chat", "mine", AT_MOST_ONCE);
        publisher.publish("chat", "theirs", AT_MOST_ONCE);
        assertThat(me.payloads()).containsExactly("theirs");
        assertThat(other.payloads()).containsExactly("mine", "theirs");
    }

    @Test
    void v3PublisherReachesV5Subscriber() {
        TestClient s = broker.subscriber("s", "t", EXACTLY_ONCE);
        TestClient old = broker.connect(v311("old"));
        int id = old.publish("t", "from 3.1.1", AT_LEAST_ONCE);
        assertThat(old.sent(PubAckPacket.class)).extracting(PubAckPacket::packetId).containsExactly(id);
        assertThat(s.payloads()).containsExactly("from 3.1.1");
        assertThat(s.publishes().get(0).properties().subscriptionIdentifiers()).isEqualTo(List.of());
    }
}
