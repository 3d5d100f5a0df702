package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** CONNACK tells the truth about the broker's limits, and the broker enforces them (MQTT 5.0 3.2.2.3). */
class ProtocolLimitsTest {

    private final List<TestBroker> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        brokers.forEach(TestBroker::close);
    }

    private TestBroker broker(ProtocolSettings protocol) {
        TestBroker b = new TestBroker(new ControllableStore(), protocol);
        brokers.add(b);
        return b;
    }

    private TestBroker defaults() {
        return broker(ProtocolSettings.defaults(TestBroker.MAX_PACKET_SIZE));
    }

    /** Defaults with Maximum QoS 1, retain unavailable, Receive Maximum 2, response information "reply/%c". */
    private TestBroker restricted() {
        return broker(new ProtocolSettings(TestBroker.MAX_PACKET_SIZE, AT_LEAST_ONCE, false, 2, 4, 30, 16, false,
                2, "reply/%c"));
    }

    /** Defaults with a Receive Maximum of 2. */
    private TestBroker smallWindow() {
        return broker(new ProtocolSettings(TestBroker.MAX_PACKET_SIZE, EXACTLY_ONCE, true, 2, 4, 30, 16, true,
                2, ""));
    }

    private static DisconnectReasonCode disconnectReason(TestClient c) {
        return ((DisconnectPacket) c.transport.closes().get(0).lastPacket()).reasonCode();
    }

    private static ConnAckPacket refusal(TestClient c) {
        return (ConnAckPacket) c.transport.closes().get(0).lastPacket();
    }

    @Test
    void connAckAnnouncesTheDefaultLimits() {
        ConnAckPacket ack = defaults().connect(v5("c").keepAlive(30)).connAck();
        assertThat(ack.properties().receiveMaximum()).isEqualTo(1024);
        assertThat(ack.properties().maximumQoS()).isNull(); // absent = 2 (MQTT 5.0 3.2.2.3.4)
        assertThat(ack.properties().retainAvailable()).isTrue();
        assertThat(ack.properties().topicAliasMaximum()).isEqualTo(32);
        assertThat(ack.properties().wildcardSubscriptionAvailable()).isTrue();
        assertThat(ack.properties().subscriptionIdentifiersAvailable()).isTrue();
        assertThat(ack.properties().sharedSubscriptionAvailable()).isTrue();
        assertThat(ack.properties().serverKeepAlive()).isNull(); // 30 s is within the maximum
        assertThat(ack.properties().responseInformation()).isNull();
    }

    @Test
    void connAckAnnouncesRestrictedLimits() {
        ConnAckPacket ack = restricted().connect(v5("c").requestResponseInformation()).connAck();
        assertThat(ack.properties().receiveMaximum()).isEqualTo(2);
        assertThat(ack.properties().maximumQoS()).isEqualTo(1);
        assertThat(ack.properties().retainAvailable()).isFalse();
        assertThat(ack.properties().topicAliasMaximum()).isEqualTo(4);
        assertThat(ack.properties().sharedSubscriptionAvailable()).isFalse();
        assertThat(ack.properties().responseInformation()).isEqualTo("reply/c");
    }

    @Test
    void responseInformationOnlyWhenRequested() {
        assertThat(restricted().connect(v5("c")).connAck().properties().responseInformation()).isNull();
    }

    @Test
    void keepAliveAboveTheMaximumIsReplacedByServerKeepAlive() {
        TestClient c = defaults().connect(v5("c").keepAlive(600));
        assertThat(c.connAck().properties().serverKeepAlive()).isEqualTo(60);
        assertThat(c.transport.keepAlives()).containsExactly(60); // and it is the one enforced
        TestClient none = defaults().connect(v5("n").keepAlive(0));
        assertThat(none.connAck().properties().serverKeepAlive()).isEqualTo(60);
    }

    @Test
    void mqtt311KeepAliveStandsAsAsked() {
        TestClient c = defaults().connect(v311("c").keepAlive(600));
        assertThat(c.transport.keepAlives()).containsExactly(600);
    }

    @Test
    void willAboveMaximumQosIsRefused() {
        TestClient c = restricted().connect(v5("c").will("w", "x", EXACTLY_ONCE, false, 0));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.QOS_NOT_SUPPORTED);
    }

    @Test
    void retainedWillWithoutRetainAvailableIsRefused() {
        TestClient c = restricted().connect(v5("c").will("w", "x", AT_MOST_ONCE, true, 0));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.RETAIN_NOT_SUPPORTED);
    }

    @Test
    void willToADeniedTopicIsNotAuthorized() {
        TestClient c = defaults().connect(v311("c").will("forbidden/will", "x", AT_MOST_ONCE, false, 0));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void publishAboveMaximumQosIsDisconnected() {
        TestClient c = restricted().connect(v5("c"));
        c.publish("t", "x", EXACTLY_ONCE);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.QOS_NOT_SUPPORTED);
    }

    @Test
    void retainedPublishWithoutRetainAvailableIsDisconnected() {
        TestClient c = restricted().connect(v5("c"));
        c.publish("t", "x", AT_MOST_ONCE, true);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.RETAIN_NOT_SUPPORTED);
    }

    @Test
    void subscriptionsAreGrantedAtMostTheMaximumQos() {
        TestClient c = restricted().connect(v5("c"));
        c.subscribe("t", EXACTLY_ONCE);
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
    }

    @Test
    void exceedingOurReceiveMaximumIsDisconnected() {
        TestClient c = smallWindow().connect(v5("c"));
        // QoS 2 flows stay unacknowledged until PUBCOMP: two fit the Receive Maximum of 2, the third does not
        c.publish("t", "1", EXACTLY_ONCE);
        c.publish("t", "2", EXACTLY_ONCE);
        assertThat(c.transport.closes()).isEmpty();
        c.publish("t", "3", EXACTLY_ONCE);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    void completedFlowsFreeTheReceiveWindow() {
        TestClient c = smallWindow().connect(v5("c"));
        for (int i = 0; i < 10; i++) {
            int id = c.publish("t", "m" + i, EXACTLY_ONCE);
            c.pubRel(id);
            c.publish("t", "q" + i, AT_LEAST_ONCE);
        }
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void retransmittedQos2PublishIsNotCountedTwice() {
        TestClient c = smallWindow().connect(v5("c"));
        int id = c.publish("t", "1", EXACTLY_ONCE);
        c.send(TestClient.publishPacket("t", "1", EXACTLY_ONCE, false, true, id));
        c.publish("t", "2", EXACTLY_ONCE);
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void mqtt311HasNoReceiveMaximum() {
        TestClient c = smallWindow().connect(v311("c"));
        for (int i = 0; i < 5; i++) {
            c.publish("t", "m" + i, EXACTLY_ONCE);
        }
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void deniedTopicIsNotAuthorized() {
        TestBroker broker = defaults();
        TestClient subscriber = broker.connect(v5("s"));
        subscriber.subscribe("#", AT_LEAST_ONCE);
        subscriber.clear();
        TestClient c = broker.connect(v5("c"));
        int q1 = c.publish("forbidden/x", "a", AT_LEAST_ONCE);
        int q2 = c.publish("forbidden/y", "b", EXACTLY_ONCE);
        assertThat(c.sent(PubAckPacket.class)).containsExactly(new PubAckPacket(q1, PubAckReasonCode.NOT_AUTHORIZED));
        assertThat(c.sent(PubRecPacket.class)).containsExactly(new PubRecPacket(q2, PubRecReasonCode.NOT_AUTHORIZED));
        assertThat(subscriber.publishes()).isEmpty();
        c.subscribe("forbidden/+", AT_MOST_ONCE);
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void mqtt311DeniedPublishIsAcknowledgedAndDropped() {
        TestBroker broker = defaults();
        TestClient subscriber = broker.connect(v5("s"));
        subscriber.subscribe("#", AT_LEAST_ONCE);
        subscriber.clear();
        TestClient c = broker.connect(v311("c"));
        int id = c.publish("forbidden/x", "a", AT_LEAST_ONCE);
        assertThat(c.sent(PubAckPacket.class)).containsExactly(new PubAckPacket(id, PubAckReasonCode.SUCCESS));
        assertThat(subscriber.publishes()).isEmpty();
        c.subscribe("forbidden/x", AT_MOST_ONCE);
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes()).containsExactly(SubAckReasonCode.UNSPECIFIED_ERROR);
    }

    @Test
    void subscriptionQuotaIsEnforced() {
        TestClient c = restricted().connect(v5("c"));
        c.subscribe("a", AT_MOST_ONCE);
        c.subscribe("b", AT_MOST_ONCE);
        c.subscribe("a", AT_LEAST_ONCE); // replacing one is not a new one
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
        c.subscribe("c", AT_MOST_ONCE);
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes()).containsExactly(SubAckReasonCode.QUOTA_EXCEEDED);
    }

    @Test
    void overlongTopicsAreInvalid() {
        TestClient c = restricted().connect(v5("c")); // maximum topic length 16 bytes
        c.subscribe("a/very/long/filter/x", AT_MOST_ONCE);
        assertThat(((SubAckPacket) c.lastSent()).reasonCodes())
                .containsExactly(SubAckReasonCode.TOPIC_FILTER_INVALID);
        c.publish("a/very/long/topic/x", "x", AT_MOST_ONCE);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void payloadThatIsNotTheUtf8ItClaimsIsRefused() {
        TestClient c = defaults().connect(v5("c"));
        PublishProperties text = new PublishProperties(1, null, null, null, null, null, null, null);
        c.send(new PublishPacket("t", AT_LEAST_ONCE, false, false, 7, new byte[]{(byte) 0xC0, (byte) 0x80}, text));
        assertThat(c.sent(PubAckPacket.class))
                .containsExactly(new PubAckPacket(7, PubAckReasonCode.PAYLOAD_FORMAT_INVALID));
        c.send(new PublishPacket("t", AT_LEAST_ONCE, false, false, 8, "fine ✓".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), text));
        assertThat(c.sent(PubAckPacket.class)).last()
                .isEqualTo(new PubAckPacket(8, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS));
        c.send(new PublishPacket("t", AT_MOST_ONCE, false, false, 0, new byte[]{(byte) 0xFF}, text));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PAYLOAD_FORMAT_INVALID);
    }

    @Test
    void qos1PublishWithAnIdentifierHeldByQos2IsRefused() {
        TestClient c = defaults().connect(v5("c"));
        c.send(TestClient.publishPacket("t", "two", EXACTLY_ONCE, false, false, 5));
        c.send(TestClient.publishPacket("t", "one", AT_LEAST_ONCE, false, false, 5));
        assertThat(c.sent(PubAckPacket.class))
                .containsExactly(new PubAckPacket(5, PubAckReasonCode.PACKET_IDENTIFIER_IN_USE));
    }

    @Test
    void noMatchingSubscribersIsReported() {
        TestClient c = defaults().connect(v5("c"));
        int id = c.publish("nobody/listens", "x", AT_LEAST_ONCE);
        assertThat(c.sent(PubAckPacket.class))
                .containsExactly(new PubAckPacket(id, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS));
    }

}
