package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** Shared subscriptions {@code $share/{ShareName}/{filter}} (MQTT 5.0 4.8.2; also accepted from 3.1.1 clients). */
class SharedSubscriptionTest {

    private final List<TestBroker> brokers = new ArrayList<>();
    private final TestBroker broker = broker(ProtocolSettings.defaults(TestBroker.MAX_PACKET_SIZE));
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        brokers.forEach(TestBroker::close);
    }

    private TestBroker broker(ProtocolSettings protocol) {
        TestBroker b = new TestBroker(new ControllableStore(), protocol);
        brokers.add(b);
        return b;
    }

    private static SubscriptionRequest request(String filter, QoS qos) {
        return new SubscriptionRequest(filter, qos, false, false, 0);
    }

    private TestClient member(TestBroker.Connect connect, String filter, QoS qos) {
        TestClient c = broker.connect(connect);
        c.subscribe(filter, qos);
        assertThat(c.sent(SubAckPacket.class).get(0).reasonCodes()).containsExactly(SubAckReasonCode.granted(qos));
        return c;
    }

    private TestClient member(String clientId, String filter, QoS qos) {
        return member(v5(clientId), filter, qos);
    }

    private List<String> publishNumbered(String topic, int count, QoS qos) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            publisher.publish(topic, "m" + i, qos);
            sent.add("m" + i);
        }
        return sent;
    }

    @Test
    void membersTakeTurnsRoundRobin() {
        TestClient a = member("a", "$share/g/t", AT_LEAST_ONCE);
        TestClient b = member("b", "$share/g/t", AT_LEAST_ONCE);
        TestClient c = member("c", "$share/g/t", AT_LEAST_ONCE);
        publishNumbered("t", 6, AT_LEAST_ONCE);
        assertThat(a.payloads()).containsExactly("m0", "m3");
        assertThat(b.payloads()).containsExactly("m1", "m4");
        assertThat(c.payloads()).containsExactly("m2", "m5");
        assertThat(publisher.sent(PubAckPacket.class)).extracting(PubAckPacket::reasonCode)
                .containsOnly(PubAckReasonCode.SUCCESS);
    }

    @Test
    void eachMessageGoesToExactlyOneMemberAtQos2() {
        List<TestClient> members = IntStream.range(0, 3)
                .mapToObj(i -> member("m" + i, "$share/g/a/+", EXACTLY_ONCE)).toList();
        List<String> sent = publishNumbered("a/b", 10, EXACTLY_ONCE);
        List<String> received = new ArrayList<>();
        members.forEach(m -> received.addAll(m.payloads()));
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent); // disjoint, and together all
        members.forEach(m -> assertThat(m.publishes()).extracting(PublishPacket::qos).containsOnly(EXACTLY_ONCE));
    }

    @Test
    void concurrentPublishersStillReachExactlyOneMemberPerMessage() throws Exception {
        List<TestClient> members = IntStream.range(0, 3)
                .mapToObj(i -> member("m" + i, "$share/g/t", AT_LEAST_ONCE)).toList();
        List<TestClient> publishers = IntStream.range(0, 4).mapToObj(i -> broker.connect(v5("p" + i))).toList();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers.size(); p++) {
            TestClient pub = publishers.get(p);
            String prefix = "p" + p + "-";
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    pub.publish("t", prefix + i, AT_LEAST_ONCE);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        List<String> received = new ArrayList<>();
        members.forEach(m -> received.addAll(m.payloads()));
        assertThat(received).hasSize(1000).doesNotHaveDuplicates();
        members.forEach(m -> assertThat(m.payloads()).hasSizeBetween(300, 367)); // round-robin spreads them
    }

    @Test
    void twoGroupsOnOneFilterEachGetEveryMessage() {
        TestClient a1 = member("a1", "$share/one/t/#", AT_LEAST_ONCE);
        TestClient a2 = member("a2", "$share/one/t/#", AT_LEAST_ONCE);
        TestClient b1 = member("b1", "$share/two/t/#", AT_LEAST_ONCE);
        List<String> sent = publishNumbered("t/x", 4, AT_LEAST_ONCE);
        List<String> groupOne = new ArrayList<>(a1.payloads());
        groupOne.addAll(a2.payloads());
        assertThat(groupOne).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(b1.payloads()).containsExactlyElementsOf(sent);
    }

    @Test
    void aMemberWithANonSharedSubscriptionAlsoGetsItsNormalCopy() {
        TestClient a = member("a", "$share/g/t", AT_LEAST_ONCE);
        a.subscribe("t", AT_MOST_ONCE);
        TestClient plain = member("plain", "t", AT_LEAST_ONCE);
        publisher.publish("t", "hello", AT_LEAST_ONCE);
        // two independent deliveries: the shared one at QoS 1, the normal one at its own QoS 0
        assertThat(a.publishes()).extracting(PublishPacket::qos).containsExactlyInAnyOrder(AT_LEAST_ONCE, AT_MOST_ONCE);
        assertThat(plain.payloads()).containsExactly("hello");
    }

    @Test
    void theChosenMembersOwnOptionsApply() {
        TestClient low = broker.connect(v5("low"));
        low.subscribe(7, request("$share/g/t", AT_MOST_ONCE));
        TestClient high = broker.connect(v5("high"));
        high.subscribe(9, new SubscriptionRequest("$share/g/t", EXACTLY_ONCE, false, true, 0));
        publisher.publish("t", "first", EXACTLY_ONCE, true);
        publisher.publish("t", "second", EXACTLY_ONCE, true);
        PublishPacket toLow = low.publishes().get(0);
        PublishPacket toHigh = high.publishes().get(0);
        assertThat(toLow.qos()).isEqualTo(AT_MOST_ONCE); // MQTT-4.8.2-3: the granted QoS is respected
        assertThat(toLow.properties().subscriptionIdentifiers()).containsExactly(7);
        assertThat(toLow.retain()).as("live message without Retain As Published").isFalse();
        assertThat(toHigh.qos()).isEqualTo(EXACTLY_ONCE);
        assertThat(toHigh.properties().subscriptionIdentifiers()).containsExactly(9);
        assertThat(toHigh.retain()).as("Retain As Published keeps the flag").isTrue();
    }

    @Test
    void aMemberWithAFullInFlightWindowIsPassedOver() {
        TestClient slow = member(v5("slow").receiveMaximum(1), "$share/g/t", AT_LEAST_ONCE);
        TestClient fast = member("fast", "$share/g/t", AT_LEAST_ONCE);
        publishNumbered("t", 4, AT_LEAST_ONCE);
        assertThat(slow.payloads()).containsExactly("m0"); // not acknowledged: its window of 1 is full
        assertThat(fast.payloads()).containsExactly("m1", "m2", "m3");
        slow.pubAck(slow.publishes().get(0).packetId());
        publisher.publish("t", "m4", AT_LEAST_ONCE);
        assertThat(slow.payloads()).containsExactly("m0", "m4"); // its turn again, with room
    }

    @Test
    void anOfflinePersistentMemberIsPassedOverWhileAnotherIsOnline() {
        TestClient away = member(v5("away").persistent(), "$share/g/t", AT_LEAST_ONCE);
        away.disconnect();
        TestClient here = member("here", "$share/g/t", AT_LEAST_ONCE);
        List<String> sent = publishNumbered("t", 3, AT_LEAST_ONCE);
        assertThat(here.payloads()).containsExactlyElementsOf(sent);
        TestClient back = broker.connect(v5("away").persistent());
        assertThat(back.publishes()).as("nothing was queued for the offline member").isEmpty();
    }

    @Test
    void anOfflinePersistentMemberGetsTheMessageWhenNoMemberIsOnline() {
        TestClient away = member(v5("away").persistent(), "$share/g/t", AT_LEAST_ONCE);
        away.disconnect();
        publisher.publish("t", "kept", AT_LEAST_ONCE);
        assertThat(publisher.sent(PubAckPacket.class).get(0).reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);
        TestClient back = broker.connect(v5("away").persistent());
        assertThat(back.payloads()).containsExactly("kept");
    }

    @Test
    void aGroupWhoseOnlyMemberIsGoneReachesNobody() {
        TestClient gone = member("gone", "$share/g/t", AT_LEAST_ONCE);
        gone.disconnect(); // clean session: the session and its membership end
        publisher.publish("t", "lost", AT_LEAST_ONCE);
        assertThat(publisher.sent(PubAckPacket.class).get(0).reasonCode())
                .isEqualTo(PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void unacknowledgedQos1MessagesOfAnEndedSessionGoToAnotherMember() {
        TestClient leaver = member("leaver", "$share/g/t", AT_LEAST_ONCE);
        publishNumbered("t", 2, AT_LEAST_ONCE); // both to the only member, which never acknowledges
        assertThat(leaver.payloads()).containsExactly("m0", "m1");
        TestClient stayer = member("stayer", "$share/g/t", AT_LEAST_ONCE);
        leaver.lose(); // clean session: the session ends with the connection
        assertThat(stayer.payloads()).containsExactly("m0", "m1");
        assertThat(stayer.publishes()).extracting(PublishPacket::dup).containsOnly(false); // new to this client
        publisher.publish("t", "m2", AT_LEAST_ONCE);
        assertThat(stayer.payloads()).containsExactly("m0", "m1", "m2"); // the ended member is gone from the group
    }

    @Test
    void queuedMessagesOfAnEndedSessionGoToAnotherMember() {
        TestClient leaver = member(v5("leaver").receiveMaximum(1), "$share/g/t", EXACTLY_ONCE);
        publishNumbered("t", 3, EXACTLY_ONCE); // m0 in flight, m1 and m2 wait in its queue
        assertThat(leaver.payloads()).containsExactly("m0");
        TestClient stayer = member("stayer", "$share/g/t", EXACTLY_ONCE);
        leaver.lose();
        // never sent to the leaver, so they may go elsewhere; m0 may not (MQTT-4.8.2-5, see the next test)
        assertThat(stayer.payloads()).containsExactly("m1", "m2");
    }

    @Test
    void aQos2MessageSentToAMemberWhoseSessionEndsGoesToNoOtherMember() {
        TestClient leaver = member("leaver", "$share/g/t", EXACTLY_ONCE);
        publisher.publish("t", "once", EXACTLY_ONCE);
        assertThat(leaver.payloads()).containsExactly("once"); // no PUBREC follows
        TestClient stayer = member("stayer", "$share/g/t", EXACTLY_ONCE);
        leaver.lose();
        assertThat(stayer.publishes()).isEmpty(); // MQTT-4.8.2-5
    }

    @Test
    void aMessageRefusedWithAnErrorPubAckGoesToNoOtherMember() {
        TestClient refuser = member("refuser", "$share/g/t", AT_LEAST_ONCE);
        publisher.publish("t", "refused", AT_LEAST_ONCE);
        refuser.send(new PubAckPacket(refuser.publishes().get(0).packetId(), PubAckReasonCode.UNSPECIFIED_ERROR));
        TestClient stayer = member("stayer", "$share/g/t", AT_LEAST_ONCE);
        refuser.lose();
        assertThat(stayer.publishes()).isEmpty(); // MQTT-4.8.2-6
    }

    @Test
    void aPersistentMemberThatGoesOfflineKeepsItsUnacknowledgedMessages() {
        TestClient away = member(v5("away").persistent(), "$share/g/t", AT_LEAST_ONCE);
        publisher.publish("t", "mine", AT_LEAST_ONCE);
        TestClient other = member("other", "$share/g/t", AT_LEAST_ONCE);
        away.disconnect();
        assertThat(other.publishes()).isEmpty();
        TestClient back = broker.connect(v5("away").persistent());
        assertThat(back.publishes()).hasSize(1);
        assertThat(back.publishes().get(0).dup()).as("re-sent in flight").isTrue();
        assertThat(back.payloads()).containsExactly("mine");
    }

    @Test
    void anExpiredSessionHandsItsMessagesToAnotherMember() throws InterruptedException {
        TestClient away = member(v5("away").cleanStart(false).sessionExpiry(1), "$share/g/t", AT_LEAST_ONCE);
        publisher.publish("t", "unacknowledged", AT_LEAST_ONCE);
        TestClient other = member("other", "$share/g/t", AT_LEAST_ONCE);
        away.disconnect();
        publisher.publish("t", "queued", AT_LEAST_ONCE); // "other" is online: it gets this one directly
        assertThat(other.payloads()).containsExactly("queued");
        long deadline = System.currentTimeMillis() + 5_000;
        while (other.payloads().size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(other.payloads()).as("after the 1 s session expiry").containsExactly("queued", "unacknowledged");
    }

    @Test
    void aCleanStartReplacingAPersistentMemberHandsItsMessagesToAnotherMember() {
        TestClient old = member(v5("twice").persistent(), "$share/g/t", AT_LEAST_ONCE);
        publisher.publish("t", "pending", AT_LEAST_ONCE);
        TestClient other = member("other", "$share/g/t", AT_LEAST_ONCE);
        old.disconnect();
        TestClient fresh = broker.connect(v5("twice")); // clean start ends the old session
        assertThat(fresh.publishes()).isEmpty();
        assertThat(other.payloads()).containsExactly("pending");
    }

    @Test
    void noRetainedMessagesOnASharedSubscribe() {
        publisher.publish("t", "retained", AT_LEAST_ONCE, true);
        TestClient shared = broker.connect(v5("shared"));
        shared.subscribe(null, request("$share/g/t", AT_LEAST_ONCE));
        assertThat(shared.publishes()).isEmpty();
        TestClient plain = broker.connect(v5("plain"));
        plain.subscribe("t", AT_LEAST_ONCE);
        assertThat(plain.payloads()).as("the retained message is there").containsExactly("retained");
    }

    @Test
    void unsubscribeEndsOnlyThatMembership() {
        TestClient both = member("both", "$share/one/t", AT_LEAST_ONCE);
        both.subscribe("$share/two/t", AT_LEAST_ONCE);
        TestClient other = member("other", "$share/one/t", AT_LEAST_ONCE);
        int id = both.unsubscribe("$share/one/t");
        assertThat(both.sent(UnsubAckPacket.class).get(0))
                .isEqualTo(new UnsubAckPacket(id, List.of(UnsubAckReasonCode.SUCCESS), null));
        List<String> sent = publishNumbered("t", 3, AT_LEAST_ONCE);
        assertThat(other.payloads()).containsExactlyElementsOf(sent); // group one: only "other" is left
        assertThat(both.payloads()).containsExactlyElementsOf(sent); // group two: still a member
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        TestClient c = broker.connect(v5("c"));
        c.subscribe(null, request("ok", AT_MOST_ONCE), new SubscriptionRequest("$share/g/t", AT_MOST_ONCE, true,
                false, 0));
        assertThat(c.sent(SubAckPacket.class)).isEmpty();
        DisconnectPacket disconnect = (DisconnectPacket) c.transport.closes().get(0).lastPacket();
        assertThat(disconnect.reasonCode()).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR); // MQTT-3.8.3-4
        assertThat(disconnect.reasonCode().code()).isEqualTo(0x82);
        publisher.publish("ok", "x", AT_LEAST_ONCE);
        assertThat(publisher.sent(PubAckPacket.class).get(0).reasonCode())
                .as("nothing of the refused SUBSCRIBE took effect").isEqualTo(PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    private static final List<String> MALFORMED = List.of(
            "$share//t",        // empty share name (MQTT-4.8.2-1)
            "$share/g",         // no '/' and filter after the share name (MQTT-4.8.2-2)
            "$share/g/",        // an empty filter after it
            "$share/g+/t",      // '+' in the share name
            "$share/#/t",       // '#' as the share name
            "$share/g/a/#/b");  // the filter after it is not valid

    @Test
    void malformedSharedFiltersAreRefusedWith0x8F() {
        TestClient c = broker.connect(v5("c"));
        c.subscribe(null, MALFORMED.stream().map(f -> request(f, AT_MOST_ONCE)).toArray(SubscriptionRequest[]::new));
        assertThat(c.sent(SubAckPacket.class).get(0).reasonCodes()).hasSize(MALFORMED.size())
                .containsOnly(SubAckReasonCode.TOPIC_FILTER_INVALID);
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void malformedSharedFiltersAreRefusedWith0x80For311() {
        TestClient c = broker.connect(v311("c"));
        c.subscribe(null, MALFORMED.stream().map(f -> request(f, AT_MOST_ONCE)).toArray(SubscriptionRequest[]::new));
        assertThat(c.sent(SubAckPacket.class).get(0).reasonCodes()).hasSize(MALFORMED.size())
                .containsOnly(SubAckReasonCode.UNSPECIFIED_ERROR);
    }

    @Test
    void deniedFiltersApplyToTheFilterAfterTheShareName() {
        TestClient c = broker.connect(v5("c"));
        c.subscribe(null, request("$share/g/" + TestBroker.DENIED_FILTER, AT_MOST_ONCE));
        assertThat(c.sent(SubAckPacket.class).get(0).reasonCodes()).containsExactly(SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void a311ClientCanBeAMember() {
        TestClient old = member(v311("old"), "$share/g/t", AT_LEAST_ONCE);
        TestClient fresh = member("fresh", "$share/g/t", AT_LEAST_ONCE);
        List<String> sent = publishNumbered("t", 4, AT_LEAST_ONCE);
        assertThat(old.payloads()).containsExactly("m0", "m2");
        assertThat(fresh.payloads()).containsExactly("m1", "m3");
        Set<String> all = new HashSet<>(old.payloads());
        all.addAll(fresh.payloads());
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void withTheSettingOffSharedSubscriptionsAreRefused() {
        TestBroker off = broker(new ProtocolSettings(TestBroker.MAX_PACKET_SIZE, EXACTLY_ONCE, true, 1024, 32, 60,
                65_535, false, 1000, ""));
        TestClient v5 = off.connect(v5("v5"));
        v5.subscribe(null, request("$share/g/t", AT_MOST_ONCE), request("t", AT_MOST_ONCE));
        assertThat(v5.sent(SubAckPacket.class).get(0).reasonCodes())
                .containsExactly(SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, SubAckReasonCode.GRANTED_QOS_0);
        assertThat(SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED.code()).isEqualTo(0x9E);
        TestClient v3 = off.connect(v311("v3"));
        v3.subscribe(null, request("$share/g/t", AT_MOST_ONCE));
        assertThat(v3.sent(SubAckPacket.class).get(0).reasonCodes())
                .containsExactly(SubAckReasonCode.UNSPECIFIED_ERROR);
    }
}
