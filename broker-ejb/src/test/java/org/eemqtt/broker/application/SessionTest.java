package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.api.packet.QoS.EXACTLY_ONCE;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** Sessions across connections: persistence, resume, clean start, take-over, expiry. */
class SessionTest {

    private final ControllableStore store = new ControllableStore();
    private final TestBroker broker = new TestBroker(store);
    private final TestClient publisher = broker.connect(v5("pub"));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void persistentSessionQueuesWhileOfflineAndDeliversOnResume() {
        TestClient s = broker.connect(v311("s").persistent());
        s.subscribe("t", AT_LEAST_ONCE);
        s.lose();
        publisher.publish("t", "q1", AT_LEAST_ONCE);
        publisher.publish("t", "q2", EXACTLY_ONCE);
        publisher.publish("t", "lost", AT_MOST_ONCE);
        TestClient back = broker.connect(v311("s").persistent());
        assertThat(back.connAck().sessionPresent()).isTrue();
        assertThat(back.transport.sent().get(0)).isInstanceOf(ConnAckPacket.class);
        assertThat(back.payloads()).containsExactly("q1", "q2");
        assertThat(back.publishes()).allSatisfy(p -> {
            assertThat(p.qos()).isEqualTo(AT_LEAST_ONCE);
            assertThat(p.dup()).isFalse();
        });
    }

    @Test
    void v5SessionExpiryKeepsTheSubscriptionsAfterDisconnect() {
        TestClient s = broker.connect(v5("s").persistent());
        s.subscribe("t", AT_LEAST_ONCE);
        s.disconnect();
        publisher.publish("t", "while away", AT_LEAST_ONCE);
        TestClient back = broker.connect(v5("s").persistent());
        assertThat(back.connAck().sessionPresent()).isTrue();
        assertThat(back.payloads()).containsExactly("while away");
        publisher.publish("t", "live", AT_LEAST_ONCE);
        assertThat(back.payloads()).containsExactly("while away", "live");
    }

    @Test
    void unacknowledgedDeliveriesAreResentWithDup() {
        TestClient s = broker.connect(v5("s").persistent());
        s.subscribe("t", AT_LEAST_ONCE);
        publisher.publish("t", "x", AT_LEAST_ONCE);
        PublishPacket first = s.publishes().get(0);
        s.lose();
        TestClient back = broker.connect(v5("s").persistent());
        assertThat(back.publishes()).singleElement().satisfies(p -> {
            assertThat(p.dup()).isTrue();
            assertThat(p.packetId()).isEqualTo(first.packetId());
            assertThat(p.qos()).isEqualTo(AT_LEAST_ONCE);
        });
        back.pubAck(first.packetId());
        TestClient again = broker.connect(v5("s").persistent());
        assertThat(again.publishes()).isEmpty();
    }

    @Test
    void pubRelIsResentForAReceivedQos2Delivery() {
        TestClient s = broker.connect(v311("s").persistent());
        s.subscribe("t", EXACTLY_ONCE);
        publisher.publish("t", "x", EXACTLY_ONCE);
        int id = s.publishes().get(0).packetId();
        s.pubRec(id);
        s.lose();
        TestClient back = broker.connect(v311("s").persistent());
        assertThat(back.publishes()).isEmpty();
        assertThat(back.sent(PubRelPacket.class)).containsExactly(new PubRelPacket(id, PubRelReasonCode.SUCCESS));
        back.pubComp(id);
        TestClient again = broker.connect(v311("s").persistent());
        assertThat(again.sent(PubRelPacket.class)).isEmpty();
    }

    @Test
    void cleanStartDiscardsTheOldSession() {
        TestClient s = broker.connect(v5("s").persistent());
        s.subscribe("t", AT_LEAST_ONCE);
        s.lose();
        publisher.publish("t", "queued", AT_LEAST_ONCE);
        TestClient fresh = broker.connect(v5("s").cleanStart(true).sessionExpiry(ConnectPacketValues.NEVER));
        assertThat(fresh.connAck().sessionPresent()).isFalse();
        assertThat(fresh.publishes()).isEmpty();
        publisher.publish("t", "after", AT_LEAST_ONCE);
        assertThat(fresh.publishes()).isEmpty();
    }

    @Test
    void cleanSessionEndsWithTheConnection() {
        TestClient s = broker.connect(v311("s"));
        s.subscribe("t", AT_LEAST_ONCE);
        s.disconnect();
        assertThat(store.endedSessions()).containsExactly("s");
        publisher.publish("t", "x", AT_LEAST_ONCE);
        TestClient back = broker.connect(v311("s").persistent());
        assertThat(back.connAck().sessionPresent()).isFalse();
        assertThat(back.publishes()).isEmpty();
    }

    @Test
    void takeOverClosesTheOldV5ConnectionWithSessionTakenOver() {
        TestClient old = broker.connect(v5("s").persistent());
        old.subscribe("t", AT_LEAST_ONCE);
        TestClient next = broker.connect(v5("s").persistent());
        DisconnectPacket d = (DisconnectPacket) old.transport.closes().get(0).lastPacket();
        assertThat(d.reasonCode()).isEqualTo(DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(d.reasonCode().code()).isEqualTo(0x8E);
        assertThat(next.connAck().sessionPresent()).isTrue();
        old.lose(); // the transport reports the close it was asked for
        old.clear();
        publisher.publish("t", "for the new one", AT_LEAST_ONCE);
        assertThat(next.payloads()).containsExactly("for the new one");
        assertThat(old.publishes()).isEmpty();
    }

    @Test
    void takeOverClosesTheOld3xConnectionWithoutPacket() {
        TestClient old = broker.connect(v311("s").persistent());
        old.subscribe("t", AT_MOST_ONCE);
        TestClient next = broker.connect(v311("s").persistent());
        assertThat(old.transport.closes()).containsExactly(new RecordingConnection.Close(null));
        assertThat(next.connAck().sessionPresent()).isTrue();
        publisher.publish("t", "x", AT_MOST_ONCE);
        old.lose();
        publisher.publish("t", "y", AT_MOST_ONCE);
        assertThat(next.payloads()).containsExactly("x", "y");
        assertThat(old.publishes()).isEmpty();
    }

    @Test
    void takeOverWithCleanStartGivesAFreshSession() {
        TestClient old = broker.connect(v5("s").persistent());
        old.subscribe("t", AT_MOST_ONCE);
        TestClient next = broker.connect(v5("s"));
        assertThat(old.transport.closed()).isTrue();
        assertThat(next.connAck().sessionPresent()).isFalse();
        old.lose();
        publisher.publish("t", "x", AT_MOST_ONCE);
        assertThat(next.publishes()).isEmpty();
        assertThat(old.publishes()).isEmpty();
    }

    @Test
    void sessionExpiresAfterItsInterval() throws InterruptedException {
        TestClient s = broker.connect(v5("s").cleanStart(false).sessionExpiry(1));
        s.subscribe("t", AT_LEAST_ONCE);
        s.lose();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.endedSessions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.endedSessions()).containsExactly("s");
        TestClient back = broker.connect(v5("s").persistent());
        assertThat(back.connAck().sessionPresent()).isFalse();
        publisher.publish("t", "x", AT_LEAST_ONCE);
        assertThat(back.publishes()).isEmpty();
    }

    @Test
    void resumedSessionBeforeExpiryIsKept() throws Exception {
        TestClient s = broker.connect(v5("s").cleanStart(false).sessionExpiry(1));
        s.subscribe("t", AT_LEAST_ONCE);
        s.lose();
        TestClient back = broker.connect(v5("s").cleanStart(false).sessionExpiry(ConnectPacketValues.NEVER));
        assertThat(back.connAck().sessionPresent()).isTrue();
        // the single scheduler thread runs the (now stale) expiry at 1 s before this task at 1.2 s
        broker.scheduler.schedule(() -> { }, 1200, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertThat(store.endedSessions()).isEmpty();
        publisher.publish("t", "x", AT_LEAST_ONCE);
        assertThat(back.payloads()).containsExactly("x");
    }

    /** Short names for ConnectPacket constants. */
    private static final class ConnectPacketValues {
        static final long NEVER = org.eemqtt.api.packet.ConnectPacket.SESSION_NEVER_EXPIRES;
    }
}
