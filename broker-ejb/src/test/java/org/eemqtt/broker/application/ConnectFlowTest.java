package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PingRespPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.broker.application.TestBroker.v31;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

class ConnectFlowTest {

    private final TestBroker broker = new TestBroker(new VolatileSessionStore());

    @AfterEach
    void stop() {
        broker.close();
    }

    private static ConnAckPacket refusal(TestClient client) {
        assertThat(client.transport.sent()).isEmpty();
        assertThat(client.transport.closes()).hasSize(1);
        assertThat(client.transport.closes().get(0).lastPacket()).isInstanceOf(ConnAckPacket.class);
        return (ConnAckPacket) client.transport.closes().get(0).lastPacket();
    }

    @Test
    void v5ConnectSucceedsWithProperties() {
        TestClient c = broker.connect(v5("c1").keepAlive(42));
        ConnAckPacket ack = c.connAck();
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(ack.properties().maximumPacketSize()).isEqualTo((long) TestBroker.MAX_PACKET_SIZE);
        assertThat(ack.properties().assignedClientIdentifier()).isNull();
        assertThat(c.transport.keepAlives()).containsExactly(42);
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void v5EmptyClientIdGetsAnAssignedOne() {
        TestClient c = broker.connect(v5(""));
        ConnAckPacket ack = c.connAck();
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        assertThat(ack.properties().assignedClientIdentifier()).isNotBlank();
        TestClient other = broker.connect(v5(""));
        assertThat(other.connAck().properties().assignedClientIdentifier())
                .isNotEqualTo(ack.properties().assignedClientIdentifier());
    }

    @Test
    void v311ConnectSucceedsWithoutProperties() {
        TestClient c = broker.connect(v311("c1").keepAlive(0));
        assertThat(c.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        assertThat(c.connAck().sessionPresent()).isFalse();
        assertThat(c.connAck().properties()).isEqualTo(org.eemqtt.api.packet.ConnAckProperties.NONE);
        assertThat(c.transport.keepAlives()).containsExactly(0);
    }

    @Test
    void v311EmptyClientIdWithCleanSessionIsAccepted() {
        assertThat(broker.connect(v311("")).connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
    }

    @Test
    void v311EmptyClientIdWithPersistentSessionIsRefused() {
        ConnAckPacket ack = refusal(broker.connect(v311("").persistent()));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(ack.reasonCode().v3ReturnCode()).isEqualTo(0x02);
    }

    @Test
    void wrongPasswordIsRefused() {
        ConnAckPacket ack = refusal(broker.connect(v5("c1").credentials(TestBroker.USER, "wrong")));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ack.reasonCode().code()).isEqualTo(0x86);
        assertThat(ack.sessionPresent()).isFalse();
    }

    @Test
    void wrongPasswordIsRefusedForV3WithReturnCode4() {
        ConnAckPacket ack = refusal(broker.connect(v311("c1").credentials(TestBroker.USER, "wrong")));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ack.reasonCode().v3ReturnCode()).isEqualTo(0x04);
        ConnAckPacket v31 = refusal(broker.connect(v31("c2").credentials("bob", "secret")));
        assertThat(v31.reasonCode()).isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void unknownUserAndMissingPasswordAreRefused() {
        assertThat(refusal(broker.connect(v5("c1").credentials("mallory", "secret"))).reasonCode())
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(broker.connect(v5("c2").credentials(TestBroker.USER, null))).reasonCode())
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void noUserNameIsNotAuthorized() {
        ConnAckPacket ack = refusal(broker.connect(v5("c1").credentials(null, null)));
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
        assertThat(ack.reasonCode().v3ReturnCode()).isEqualTo(0x05);
    }

    @Test
    void verifiedCertificateUserNeedsNoPasswordAndIgnoresTheConnectCredentials() {
        // the user need not be in the store: the certificate's issuer (the truststore) vouches for it
        TestClient c = broker.connectWithCertificate(v5("cert1").credentials("someone-else", "wrong"), "device-7");
        assertThat(c.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        TestClient v3 = broker.connectWithCertificate(v311("cert2").credentials(null, null), "device-8");
        assertThat(v3.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        // without a verified certificate the same CONNECT is refused
        assertThat(refusal(broker.connect(v5("cert3").credentials("someone-else", "wrong"))).reasonCode())
                .isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void noUserNameIsAcceptedWhenAnonymousAccessIsOn() {
        try (TestBroker open = new TestBroker(new VolatileSessionStore(), true, 10)) {
            assertThat(open.connect(v5("c1").credentials(null, null)).connAck().reasonCode())
                    .isEqualTo(ConnectReasonCode.SUCCESS);
        }
    }

    @Test
    void refusedConnectionIgnoresLaterPackets() {
        TestClient c = broker.connect(v5("c1").credentials(TestBroker.USER, "wrong"));
        c.send(PingReqPacket.INSTANCE);
        c.subscribe("a", QoS.AT_MOST_ONCE);
        c.lose();
        assertThat(c.transport.sent()).isEmpty();
    }

    @Test
    void pingIsAnswered() {
        TestClient c = broker.connect(v311("c1"));
        c.clear();
        c.send(PingReqPacket.INSTANCE);
        assertThat(c.transport.sent()).containsExactly(PingRespPacket.INSTANCE);
    }

    @Test
    void secondConnectIsAProtocolErrorForV5() {
        TestClient c = broker.connect(v5("c1"));
        c.send(v5("c1").build());
        assertThat(c.transport.closes()).hasSize(1);
        DisconnectPacket disconnect = (DisconnectPacket) c.transport.closes().get(0).lastPacket();
        assertThat(disconnect.reasonCode()).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void secondConnectClosesA3xConnectionWithoutPacket() {
        TestClient c = broker.connect(v311("c1"));
        c.send(v311("c1").build());
        assertThat(c.transport.closes()).containsExactly(new RecordingConnection.Close(null));
    }

    @Test
    void connAckWaitsForTheStore() throws Exception {
        ControllableStore store = new ControllableStore();
        store.hold(ControllableStore.Step.SESSION_OPENED);
        try (TestBroker held = new TestBroker(store)) {
            RecordingConnection transport = new RecordingConnection("c1");
            CompletableFuture<?> connecting = CompletableFuture.runAsync(
                    () -> held.connectFlow.connect(transport, v5("c1").build()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (store.pendingCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.pendingCount()).isEqualTo(1);
            assertThat(transport.sent()).isEmpty();
            store.releaseAll();
            connecting.get(5, TimeUnit.SECONDS);
            assertThat(transport.sent(ConnAckPacket.class)).hasSize(1);
        }
    }

    @Test
    void normalDisconnectDiscardsTheWill() {
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_LEAST_ONCE);
        TestClient c = broker.connect(v5("c1").will("wills/c1", "gone", QoS.AT_LEAST_ONCE, false, 0));
        c.disconnect();
        assertThat(c.transport.closes()).containsExactly(new RecordingConnection.Close(null));
        assertThat(watcher.publishes()).isEmpty();
    }

    @Test
    void lostConnectionPublishesTheWill() {
        TestClient watcher = broker.connect(v311("watcher"));
        watcher.subscribe("wills/#", QoS.AT_LEAST_ONCE);
        TestClient c = broker.connect(v311("c1").will("wills/c1", "gone", QoS.AT_LEAST_ONCE, false, 0));
        c.lose();
        assertThat(watcher.payloads()).containsExactly("gone");
        assertThat(watcher.publishes().get(0).topic()).isEqualTo("wills/c1");
        assertThat(watcher.publishes().get(0).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() {
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").will("wills/c1", "bye", QoS.AT_MOST_ONCE, false, 0));
        c.disconnect(DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
        assertThat(watcher.payloads()).containsExactly("bye");
    }

    @Test
    void retainedWillIsKeptForLaterSubscribers() {
        TestClient c = broker.connect(v5("c1").will("status/c1", "offline", QoS.AT_MOST_ONCE, true, 0));
        c.lose();
        TestClient later = broker.connect(v5("later"));
        later.subscribe("status/+", QoS.AT_MOST_ONCE);
        assertThat(later.payloads()).containsExactly("offline");
        assertThat(later.publishes().get(0).retain()).isTrue();
    }

    @Test
    void willWithoutRetainIsPublishedAsANonRetainedMessage() {
        // MQTT-3.1.2-14 (5.0): Will Retain 0, so live subscribers get it with RETAIN 0 and later ones get nothing
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("status/+", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").will("status/c1", "offline", QoS.AT_MOST_ONCE, false, 0));
        c.lose();
        assertThat(watcher.payloads()).containsExactly("offline");
        assertThat(watcher.publishes().get(0).retain()).isFalse();
        TestClient later = broker.connect(v5("later"));
        later.subscribe("status/+", QoS.AT_MOST_ONCE);
        assertThat(later.publishes()).isEmpty();
    }

    @Test
    void willUserPropertiesArePublishedInTheirOrder() {
        // MQTT-3.1.3-10: the Will's User Properties, duplicates included, keep their order
        List<UserProperty> properties = List.of(new UserProperty("b", "1"), new UserProperty("a", "2"),
                new UserProperty("b", "3"));
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("status/+", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").will("status/c1", "offline", QoS.AT_MOST_ONCE, false,
                new PublishProperties(null, null, null, null, null, properties, List.of(), null)));
        c.lose();
        assertThat(watcher.publishes()).hasSize(1);
        assertThat(watcher.publishes().get(0).properties().userProperties()).containsExactlyElementsOf(properties);
    }

    @Test
    void willWithDelayIsNotPublishedAtOnce() {
        // MQTT 5.0 3.1.3.2.2 / MQTT-3.1.3-9: the will waits for its Will Delay Interval (or the session's end)
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").persistent()
                .will("wills/c1", "late", QoS.AT_MOST_ONCE, false, 3600));
        c.lose();
        assertThat(watcher.publishes()).isEmpty();
    }

    @Test
    void delayedWillIsPublishedWhenACleanStartEndsItsSession() {
        // 5.0 3.1.3.2.2: the will waits for its delay or the session's end, whichever comes first
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").persistent()
                .will("wills/c1", "ended", QoS.AT_MOST_ONCE, false, 3600));
        c.lose();
        assertThat(watcher.publishes()).isEmpty();
        broker.connect(v5("c1")); // clean start: the offline session ends
        assertThat(watcher.payloads()).containsExactly("ended");
    }

    @Test
    void delayedWillIsPublishedWhenATakeoverWithCleanStartEndsItsSession() {
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").persistent()
                .will("wills/c1", "taken over", QoS.AT_MOST_ONCE, false, 3600));
        broker.connect(v5("c1")); // takes the connection over and ends its session
        c.lose(); // the transport reports the close it was asked for
        assertThat(watcher.payloads()).containsExactly("taken over");
    }

    @Test
    void reconnectWithinTheWillDelayCancelsTheWillForGood() {
        TestClient watcher = broker.connect(v5("watcher"));
        watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c1").persistent()
                .will("wills/c1", "cancelled", QoS.AT_MOST_ONCE, false, 3600));
        c.lose();
        TestClient back = broker.connect(v5("c1").persistent()); // MQTT-3.1.3-9: within the delay
        back.disconnect();
        broker.connect(v5("c1")); // the session ends later: the cancelled will stays cancelled
        assertThat(watcher.publishes()).isEmpty();
    }

    @Test
    void disconnectMayNotSetAnExpiryAfterConnectSetNone() {
        TestClient c = broker.connect(v5("c1"));
        c.send(new DisconnectPacket(DisconnectReasonCode.NORMAL_DISCONNECTION, 60L, null, null));
        assertThat(((DisconnectPacket) c.transport.closes().get(0).lastPacket()).reasonCode())
                .isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }
}
