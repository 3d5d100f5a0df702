package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.ControllableStore.Step.INBOUND_RECEIVED;
import static org.eemqtt.broker.application.ControllableStore.Step.OUTBOUND_RECEIVED;
import static org.eemqtt.broker.application.ControllableStore.Step.OUTBOUND_SENT;
import static org.eemqtt.broker.application.ControllableStore.Step.RETAINED_CHANGED;
import static org.eemqtt.broker.application.TestBroker.v5;

/** What waits for which store write, so that a restart after a crash loses or duplicates nothing it must not. */
class DurableFlowTest {

    private final ControllableStore store = new ControllableStore();
    private final TestBroker broker = new TestBroker(store);
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void outboundQos2PublishWaitsForItsPacketIdentifierAndLaterMessagesKeepTheirOrder() {
        TestClient s = broker.subscriber("s", "t", EXACTLY_ONCE);
        store.hold(OUTBOUND_SENT);
        publisher.publish("t", "first", EXACTLY_ONCE);
        publisher.publish("t", "second", AT_LEAST_ONCE);
        assertThat(s.publishes()).as("QoS 2 held until its identifier is stored; QoS 1 behind it").isEmpty();
        store.releaseAll();
        assertThat(s.payloads()).containsExactly("first", "second");
        assertThat(s.publishes()).allSatisfy(p -> assertThat(p.dup()).isFalse());
    }

    @Test
    void outboundQos1PublishDoesNotWaitForItsPacketIdentifier() {
        TestClient s = broker.subscriber("s", "t", AT_LEAST_ONCE);
        store.hold(OUTBOUND_SENT);
        publisher.publish("t", "x", AT_LEAST_ONCE);
        assertThat(s.payloads()).containsExactly("x");
        store.releaseAll();
    }

    @Test
    void pubRelWaitsForThePubRecStateAndPubCompForgetsTheCopy() {
        TestClient s = broker.subscriber("s", "t", EXACTLY_ONCE);
        publisher.publish("t", "x", EXACTLY_ONCE);
        int id = s.publishes().get(0).packetId();
        store.hold(OUTBOUND_RECEIVED);
        s.pubRec(id);
        assertThat(s.sent(PubRelPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(s.sent(PubRelPacket.class)).extracting(PubRelPacket::packetId).containsExactly(id);
        assertThat(store.doneCopies()).isEmpty();
        s.pubComp(id);
        assertThat(store.doneCopies()).containsExactly("s/1");
    }

    @Test
    void pubAckForgetsTheCopy() {
        TestClient s = broker.subscriber("s", "t", AT_LEAST_ONCE);
        publisher.publish("t", "x", AT_LEAST_ONCE);
        s.pubAck(s.publishes().get(0).packetId());
        assertThat(store.doneCopies()).containsExactly("s/1");
    }

    @Test
    void pubRecToThePublisherWaitsForTheInboundIdentifier() {
        broker.subscriber("s", "t", EXACTLY_ONCE);
        store.hold(INBOUND_RECEIVED);
        publisher.publish("t", "x", EXACTLY_ONCE);
        assertThat(publisher.sent(PubRecPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(publisher.sent(PubRecPacket.class)).hasSize(1);
    }

    @Test
    void aRetainedPublishIsAcknowledgedOnceTheRetainedMessageIsStored() {
        store.hold(RETAINED_CHANGED);
        publisher.publish("r", "kept", AT_LEAST_ONCE, true);
        assertThat(publisher.sent(PubAckPacket.class)).isEmpty();
        store.releaseAll();
        assertThat(publisher.sent(PubAckPacket.class)).hasSize(1);
    }

    @Test
    void anOfflineQueueIsBoundedInBytesAsWellAsInMessages() {
        ClientSession session = new ClientSession("c", 1000, 10, 100, new VolatileSessionStore());
        session.restoreOffline(60);
        assertThat(session.deliver(copy("123456"))).isTrue();
        assertThat(session.deliver(copy("123456"))).as("16 bytes > 10").isFalse();
        assertThat(session.deliver(copy("1234"))).isTrue();
        assertThat(session.deliver(copy(""))).isTrue();
        assertThat(session.deliver(copy("1"))).isFalse();
    }

    @Test
    void aCopyDroppedFromAFullOfflineQueueIsForgottenByTheStoreWhileThePublisherAndOthersGoOn() {
        try (TestBroker small = new TestBroker(store, false, 1)) {
            TestClient offline = small.connect(v5("s").persistent());
            offline.subscribe("t", AT_LEAST_ONCE);
            offline.disconnect();
            TestClient online = small.connect(v5("o"));
            online.subscribe("t", AT_LEAST_ONCE);
            online.clear();
            TestClient pub = small.connect(v5("p"));
            pub.publish("t", "first", AT_LEAST_ONCE);
            pub.publish("t", "second", AT_LEAST_ONCE);
            assertThat(pub.sent(PubAckPacket.class)).hasSize(2);
            assertThat(online.payloads()).containsExactly("first", "second");
            assertThat(store.doneCopies()).containsExactly("s/2"); // the queue holds one: the second is dropped
            TestClient back = small.connect(v5("s").persistent());
            assertThat(back.payloads()).containsExactly("first");
        }
    }

    private static OutboundMessage copy(String payload) {
        return new OutboundMessage(new Message("t", payload.getBytes(), AT_LEAST_ONCE, false,
                PublishProperties.NONE, "p"), AT_LEAST_ONCE, false, List.of());
    }

    @Test
    void aRecoveredSessionResumesWithItsCopiesInOrderItsInboundIdentifiersAndTheRetainedMessages() {
        Message released = message("t", "released", EXACTLY_ONCE);
        Message inFlight = message("t", "in flight", AT_LEAST_ONCE);
        Message queued = message("t", "queued", EXACTLY_ONCE);
        StoredState state = new StoredState(List.of(new StoredSession("s", 3600, System.currentTimeMillis(),
                List.of(new Subscription("s", "t", EXACTLY_ONCE, false, false, 0, 0)),
                List.of(copy(1, released, 7, true), copy(2, inFlight, 8, false), copy(3, queued, 0, false)),
                Set.of(5))), List.of(message("r", "retained", AT_LEAST_ONCE)));
        VolatileSessionStore recovering = new VolatileSessionStore() {
            @Override
            public StoredState load() {
                return state;
            }
        };
        try (TestBroker restarted = new TestBroker(recovering)) {
            TestClient s = restarted.connect(v5("s").cleanStart(false).sessionExpiry(3600));
            assertThat(s.connAck().sessionPresent()).isTrue();
            assertThat(s.transport.sent()).element(1).isEqualTo(new PubRelPacket(7, PubRelReasonCode.SUCCESS));
            assertThat(s.publishes()).extracting(PublishPacket::packetId, PublishPacket::dup, PublishPacket::qos)
                    .containsExactly(tuple(8, true, AT_LEAST_ONCE), tuple(1, false, EXACTLY_ONCE));
            assertThat(s.payloads()).containsExactly("in flight", "queued");

            // the session's subscription is live again, and an inbound QoS 2 retransmission is not delivered twice
            TestClient p = restarted.connect(v5("p"));
            s.clear();
            s.send(TestClient.publishPacket("t", "again", EXACTLY_ONCE, false, true, 5));
            assertThat(s.sent(PubRecPacket.class)).extracting(PubRecPacket::packetId).containsExactly(5);
            assertThat(s.publishes()).isEmpty();
            p.publish("t", "new", AT_LEAST_ONCE);
            assertThat(s.payloads()).containsExactly("new");

            TestClient r = restarted.connect(v5("r"));
            r.subscribe("r", AT_LEAST_ONCE);
            assertThat(r.payloads()).containsExactly("retained");
        }
    }

    @Test
    void storedWillsArePublishedWhenDueAfterARestartUnlessTheClientReconnectsWithinTheDelay() throws Exception {
        long now = System.currentTimeMillis();
        StoredState state = new StoredState(List.of(
                new StoredSession("w", 3600, now, List.of(new Subscription("w", "will/#", AT_LEAST_ONCE, false,
                        false, 0, 0)), List.of(), Set.of()),
                // connections the crash closed: due their delay after the restart
                new StoredSession("a", 3600, 0, List.of(), List.of(), Set.of(), new StoredWill(will("a", 0), 0)),
                new StoredSession("c", 3600, 0, List.of(), List.of(), Set.of(), new StoredWill(will("c", 1), 0)),
                new StoredSession("d", 3600, 0, List.of(), List.of(), Set.of(), new StoredWill(will("d", 1), 0)),
                // pending when the broker stopped, due during the downtime
                new StoredSession("x", 3600, now - 5000, List.of(), List.of(), Set.of(),
                        new StoredWill(will("x", 3), now - 2000))),
                List.of(), java.util.Map.of("gone", will("gone", 0)));
        VolatileSessionStore recovering = new VolatileSessionStore() {
            @Override
            public StoredState load() {
                return state;
            }
        };
        try (TestBroker restarted = new TestBroker(recovering)) {
            restarted.connect(v5("d").cleanStart(false).sessionExpiry(3600)); // within its will's delay
            TestClient w = restarted.connect(v5("w").cleanStart(false).sessionExpiry(3600));
            assertThat(w.payloads()).containsExactlyInAnyOrder("a", "x", "gone");
            w.clear();
            Thread.sleep(1_500);
            assertThat(w.payloads()).containsExactly("c");
        }
    }

    private static Will will(String name, long delaySeconds) {
        return new Will("will/" + name, name.getBytes(), AT_LEAST_ONCE, false, delaySeconds, PublishProperties.NONE);
    }

    private static Message message(String topic, String payload, QoS qos) {
        return new Message(topic, payload.getBytes(), qos, false, PublishProperties.NONE, null, 0);
    }

    private static StoredCopy copy(long id, Message message, int packetId, boolean released) {
        return new StoredCopy(id, message, new Recipient("s", message.qos(), false, List.of(), null), packetId,
                released);
    }
}
