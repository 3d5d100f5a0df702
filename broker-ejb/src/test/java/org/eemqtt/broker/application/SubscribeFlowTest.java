package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.ControllableStore.Step.SUBSCRIPTIONS_CHANGED;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** SUBSCRIBE, UNSUBSCRIBE and retained messages. */
class SubscribeFlowTest {

    private final ControllableStore store = new ControllableStore();
    private final TestBroker broker = new TestBroker(store);
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    private static SubscriptionRequest request(String filter, org.eemqtt.api.packet.QoS qos) {
        return new SubscriptionRequest(filter, qos, false, false, 0);
    }

    @Test
    void subAckGrantsTheRequestedQos() {
        TestClient s = broker.connect(v5("s"));
        int id = s.subscribe(null, request("a", AT_MOST_ONCE), request("b/+", AT_LEAST_ONCE),
                request("c/#", EXACTLY_ONCE));
        assertThat(s.sent(SubAckPacket.class)).containsExactly(new SubAckPacket(id, List.of(
                SubAckReasonCode.GRANTED_QOS_0, SubAckReasonCode.GRANTED_QOS_1, SubAckReasonCode.GRANTED_QOS_2),
                null));
    }

    @Test
    void invalidFilterIsRefusedWith0x8FForV5() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe(null, request("a/#/b", AT_MOST_ONCE), request("ok", AT_LEAST_ONCE));
        SubAckPacket ack = s.sent(SubAckPacket.class).get(0);
        assertThat(ack.reasonCodes()).containsExactly(SubAckReasonCode.TOPIC_FILTER_INVALID,
                SubAckReasonCode.GRANTED_QOS_1);
        assertThat(ack.reasonCodes().get(0).code()).isEqualTo(0x8F);
        assertThat(s.transport.closed()).isFalse();
    }

    @Test
    void invalidFilterIsRefusedWith0x80For3x() {
        TestClient s = broker.connect(v311("s"));
        s.subscribe(null, request("a+", AT_MOST_ONCE));
        SubAckPacket ack = s.sent(SubAckPacket.class).get(0);
        assertThat(ack.reasonCodes()).containsExactly(SubAckReasonCode.UNSPECIFIED_ERROR);
        assertThat(ack.reasonCodes().get(0).code()).isEqualTo(0x80);
    }

    @Test
    void subscribeWithoutFiltersIsAProtocolError() {
        TestClient s = broker.connect(v5("s"));
        s.send(new SubscribePacket(1, List.of(), null, null));
        assertThat(((DisconnectPacket) s.transport.closes().get(0).lastPacket()).reasonCode())
                .isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void subAckWaitsForTheStore() {
        TestClient s = broker.connect(v5("s"));
        store.hold(SUBSCRIPTIONS_CHANGED);
        s.subscribe("t", AT_MOST_ONCE);
        assertThat(s.sent(SubAckPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(s.sent(SubAckPacket.class)).hasSize(1);
    }

    @Test
    void unsubscribeStopsDelivery() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe("t", AT_MOST_ONCE);
        publisher.publish("t", "before", AT_MOST_ONCE);
        int id = s.unsubscribe("t", "never");
        assertThat(s.sent(UnsubAckPacket.class)).containsExactly(new UnsubAckPacket(id,
                List.of(UnsubAckReasonCode.SUCCESS, UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED), null));
        publisher.publish("t", "after", AT_MOST_ONCE);
        assertThat(s.payloads()).containsExactly("before");
    }

    @Test
    void unsubscribeWithoutFiltersIsAProtocolError() {
        TestClient s = broker.connect(v5("s"));
        s.send(new UnsubscribePacket(1, List.of(), null));
        assertThat(((DisconnectPacket) s.transport.closes().get(0).lastPacket()).reasonCode())
                .isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void retainedMessageIsDeliveredOnSubscribeWithRetainFlag() {
        publisher.publish("status/a", "on", AT_LEAST_ONCE, true);
        TestClient s = broker.connect(v5("s"));
        s.subscribe("status/+", EXACTLY_ONCE);
        assertThat(s.transport.sent().get(1)).isInstanceOf(SubAckPacket.class); // SUBACK, then the retained
        assertThat(s.publishes()).singleElement().satisfies(p -> {
            assertThat(p.retain()).isTrue();
            assertThat(p.qos()).isEqualTo(AT_LEAST_ONCE);
            assertThat(p.topic()).isEqualTo("status/a");
        });
    }

    @Test
    void liveForwardOfARetainedMessageClearsTheRetainFlag() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe("status/+", AT_MOST_ONCE);
        publisher.publish("status/a", "on", AT_MOST_ONCE, true);
        assertThat(s.publishes()).singleElement().extracting(PublishPacket::retain).isEqualTo(false);
    }

    @Test
    void retainAsPublishedKeepsTheFlag() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe(null, new SubscriptionRequest("status/+", AT_MOST_ONCE, false, true, 0));
        publisher.publish("status/a", "on", AT_MOST_ONCE, true);
        assertThat(s.publishes()).singleElement().extracting(PublishPacket::retain).isEqualTo(true);
    }

    @Test
    void emptyRetainedPayloadDeletesTheRetainedMessage() {
        publisher.publish("status/a", "on", AT_MOST_ONCE, true);
        publisher.publish("status/a", "", AT_MOST_ONCE, true);
        TestClient s = broker.connect(v5("s"));
        s.subscribe("status/#", AT_MOST_ONCE);
        assertThat(s.publishes()).isEmpty();
    }

    @Test
    void retainHandlingControlsRetainedDelivery() {
        publisher.publish("r", "kept", AT_MOST_ONCE, true);
        TestClient s = broker.connect(v5("s"));
        s.subscribe(null, new SubscriptionRequest("r", AT_MOST_ONCE, false, false, 2));
        assertThat(s.publishes()).isEmpty();
        s.subscribe(null, new SubscriptionRequest("r", AT_MOST_ONCE, false, false, 1)); // exists already
        assertThat(s.publishes()).isEmpty();
        s.subscribe(null, new SubscriptionRequest("r", AT_MOST_ONCE, false, false, 0));
        assertThat(s.payloads()).containsExactly("kept");
    }

    @Test
    void retainedMessageCarriesTheSubscriptionIdentifier() {
        publisher.publish("r", "kept", AT_MOST_ONCE, true);
        TestClient s = broker.connect(v5("s"));
        s.subscribe(3, request("r", AT_MOST_ONCE));
        assertThat(s.publishes().get(0).properties().subscriptionIdentifiers()).containsExactly(3);
    }

    @Test
    void resubscribingReplacesTheSubscription() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe("t", EXACTLY_ONCE);
        s.subscribe("t", AT_MOST_ONCE);
        publisher.publish("t", "x", EXACTLY_ONCE);
        assertThat(s.publishes()).singleElement().extracting(PublishPacket::qos).isEqualTo(AT_MOST_ONCE);
    }
}
