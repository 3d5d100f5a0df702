package org.eemqtt.broker.application;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.auth.ScramTestClient;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.broker.application.TestBroker.SCRAM_PASSWORD;
import static org.eemqtt.broker.application.TestBroker.SCRAM_USER;
import static org.eemqtt.broker.application.TestBroker.v311;
import static org.eemqtt.broker.application.TestBroker.v5;

/** MQTT 5.0 enhanced authentication (4.12) with SCRAM-SHA-256, and re-authentication (4.12.1). */
class EnhancedAuthTest {

    private static final String SCRAM = "SCRAM-SHA-256";

    private final TestBroker broker = new TestBroker(new VolatileSessionStore());

    @AfterEach
    void stop() {
        broker.close();
    }

    /** CONNECT with the client-first-message; asserts the challenge and returns the connection. */
    private TestClient challenged(TestBroker b, String clientId, ScramTestClient scram) {
        TestClient c = b.connect(v5(clientId).authentication(SCRAM, scram.clientFirst()));
        assertThat(c.transport.closed()).isFalse();
        assertThat(c.connAck()).isNull(); // CONNACK waits for the proof
        AuthPacket challenge = (AuthPacket) c.lastSent();
        assertThat(challenge.reasonCode()).isEqualTo(AuthReasonCode.CONTINUE_AUTHENTICATION); // MQTT-4.12.0-2
        assertThat(challenge.authenticationMethod()).isEqualTo(SCRAM); // MQTT-4.12.0-5
        return c;
    }

    private static AuthPacket auth(AuthReasonCode code, String method, byte[] data) {
        return new AuthPacket(code, method, data, null);
    }

    /** Answers the challenge with the client-final-message. */
    private static void answer(TestClient c, ScramTestClient scram) {
        AuthPacket challenge = c.sent(AuthPacket.class).get(c.sent(AuthPacket.class).size() - 1);
        c.send(auth(AuthReasonCode.CONTINUE_AUTHENTICATION, SCRAM, scram.clientFinal(challenge.authenticationData())));
    }

    private TestClient loggedIn(String clientId) {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "login-nonce");
        TestClient c = challenged(broker, clientId, scram);
        answer(c, scram);
        assertThat(c.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        return c;
    }

    private static ConnAckPacket refusal(TestClient c) {
        assertThat(c.transport.closes()).hasSize(1);
        assertThat(c.transport.closes().get(0).lastPacket()).isInstanceOf(ConnAckPacket.class);
        return (ConnAckPacket) c.transport.closes().get(0).lastPacket();
    }

    private static DisconnectReasonCode disconnectReason(TestClient c) {
        assertThat(c.transport.closes()).hasSize(1);
        MqttPacket last = c.transport.closes().get(0).lastPacket();
        assertThat(last).isInstanceOf(DisconnectPacket.class);
        return ((DisconnectPacket) last).reasonCode();
    }

    @Test
    void scramLoginEndsInConnAckWithServerFinal() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "nonce-1");
        TestClient c = challenged(broker, "c1", scram);
        answer(c, scram);
        ConnAckPacket ack = c.connAck();
        assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        assertThat(ack.properties().authenticationMethod()).isEqualTo(SCRAM); // MQTT-4.12.0-5
        assertThat(scram.serverFinalValid(ack.properties().authenticationData())).isTrue();
        assertThat(c.transport.keepAlives()).containsExactly(30);
        // the handler returned at CONNECT now serves the connection
        int id = c.publish("a/b", "x", QoS.AT_LEAST_ONCE);
        assertThat(c.sent(PubAckPacket.class)).extracting(PubAckPacket::packetId).containsExactly(id);
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void wrongPasswordIsRefusedAtTheProof() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, "pencil2", "nonce-2");
        TestClient c = challenged(broker, "c1", scram);
        answer(c, scram);
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(c.sent(ConnAckPacket.class)).isEmpty();
    }

    @Test
    void unknownUserGetsAStableDecoyChallengeAndFailsAtTheProof() {
        ScramTestClient first = new ScramTestClient("mallory", "x", "n1");
        TestClient c1 = challenged(broker, "c1", first);
        ScramTestClient second = new ScramTestClient("mallory", "y", "n2");
        TestClient c2 = challenged(broker, "c2", second);
        String salt1 = new String(((AuthPacket) c1.lastSent()).authenticationData()).split(",")[1];
        String salt2 = new String(((AuthPacket) c2.lastSent()).authenticationData()).split(",")[1];
        assertThat(salt1).startsWith("s=").isEqualTo(salt2); // like a real user's: the same salt every time
        answer(c1, first);
        assertThat(refusal(c1).reasonCode()).isEqualTo(ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void userWithoutAPbkdf2HashIsNotAuthorized() {
        ScramTestClient scram = new ScramTestClient(TestBroker.USER, TestBroker.PASSWORD, "n");
        TestClient c = challenged(broker, "c1", scram);
        answer(c, scram);
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void unsupportedMethodIsRefusedWith0x8C() {
        TestClient c = broker.connect(v5("c1").authentication("PLAIN", new byte[] {1}));
        assertThat(c.transport.sent()).isEmpty();
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.BAD_AUTHENTICATION_METHOD); // MQTT-4.12.0-1
    }

    @Test
    void unparsableClientFirstIsNotAuthorized() {
        TestClient c = broker.connect(v5("c1").authentication(SCRAM, null));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
        TestClient binding = broker.connect(v5("c2").authentication(SCRAM, TestBroker.bytes("p=tls-unique,,n=a,r=b")));
        assertThat(refusal(binding).reasonCode()).isEqualTo(ConnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void theMethodRulesOverAPasswordInTheSameConnect() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
        TestClient c = broker.connect(v5("c1").credentials(TestBroker.USER, "wrong")
                .authentication(SCRAM, scram.clientFirst()));
        answer(c, scram);
        assertThat(c.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
    }

    @Test
    void authWithAnotherMethodBeforeConnAckIsAProtocolError() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
        TestClient c = challenged(broker, "c1", scram);
        c.send(auth(AuthReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-1", new byte[0]));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.PROTOCOL_ERROR); // MQTT-3.14.0-1
    }

    @Test
    void authOtherThanContinueBeforeConnAckIsAProtocolError() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
        TestClient c = challenged(broker, "c1", scram);
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, SCRAM, scram.clientFirst()));
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.PROTOCOL_ERROR); // MQTT-4.12.0-3
    }

    @Test
    void otherPacketsBeforeConnAckAreAProtocolError() {
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
        TestClient c = challenged(broker, "c1", scram);
        c.publish("a/b", "early", QoS.AT_MOST_ONCE);
        // MQTT-3.1.2-30; CONNACK 0x82, not DISCONNECT, because no CONNACK went out yet (MQTT-3.14.0-1)
        assertThat(refusal(c).reasonCode()).isEqualTo(ConnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void aClientThatNeverAnswersIsClosed() throws Exception {
        broker.connectFlow.enhancedAuth(new EnhancedAuthFlow(broker.users, broker.hasher, broker.scheduler, 1));
        TestClient c = challenged(broker, "c1", new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.transport.closed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(c.transport.closes()).containsExactly(new RecordingConnection.Close(null));
        assertThat(c.connAck()).isNull();
    }

    @Test
    void anAnswerInTimeCancelsTheTimeout() throws Exception {
        broker.connectFlow.enhancedAuth(new EnhancedAuthFlow(broker.users, broker.hasher, broker.scheduler, 1));
        ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
        TestClient c = challenged(broker, "c1", scram);
        answer(c, scram);
        Thread.sleep(1500);
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void theFinalStepDoesNotBlockOnTheStore() throws Exception {
        ControllableStore store = new ControllableStore();
        try (TestBroker held = new TestBroker(store)) {
            ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
            TestClient c = challenged(held, "c1", scram);
            store.hold(ControllableStore.Step.SESSION_OPENED);
            // on the transport thread: must return although the store has not stored the session yet
            CompletableFuture.runAsync(() -> answer(c, scram)).get(5, TimeUnit.SECONDS);
            assertThat(c.connAck()).isNull();
            c.send(org.eemqtt.api.packet.PingReqPacket.INSTANCE); // CONNACK may be out before the hand-over
            store.releaseAll();
            assertThat(c.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            assertThat(c.lastSent()).isInstanceOf(org.eemqtt.api.packet.PingRespPacket.class);
        }
    }

    @Test
    void aConnectionLostWhileTheSessionOpensEndsLikeAnyOther() {
        ControllableStore store = new ControllableStore();
        try (TestBroker held = new TestBroker(store)) {
            TestClient watcher = held.connect(v5("watcher"));
            watcher.subscribe("wills/#", QoS.AT_MOST_ONCE);
            ScramTestClient scram = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "n");
            TestClient c = held.connect(v5("c1").will("wills/c1", "gone", QoS.AT_MOST_ONCE, false, 0)
                    .authentication(SCRAM, scram.clientFirst()));
            store.hold(ControllableStore.Step.SESSION_OPENED);
            answer(c, scram);
            c.handler.onClosed(CloseReason.NETWORK_ERROR);
            assertThat(watcher.payloads()).isEmpty();
            store.releaseAll();
            assertThat(watcher.payloads()).containsExactly("gone"); // the connection existed, then was lost
        }
    }

    @Test
    void reauthenticationSucceedsWhileTheConnectionKeepsWorking() {
        TestClient c = loggedIn("c1");
        ScramTestClient again = new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "again");
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, SCRAM, again.clientFirst())); // MQTT-4.12.1-1
        AuthPacket challenge = (AuthPacket) c.lastSent();
        assertThat(challenge.reasonCode()).isEqualTo(AuthReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(challenge.authenticationMethod()).isEqualTo(SCRAM);
        int id = c.publish("a/b", "during", QoS.AT_LEAST_ONCE);
        assertThat(((PubAckPacket) c.lastSent()).packetId()).isEqualTo(id);
        c.send(auth(AuthReasonCode.CONTINUE_AUTHENTICATION, SCRAM, again.clientFinal(challenge.authenticationData())));
        AuthPacket success = (AuthPacket) c.lastSent();
        assertThat(success.reasonCode()).isEqualTo(AuthReasonCode.SUCCESS);
        assertThat(success.authenticationMethod()).isEqualTo(SCRAM);
        assertThat(again.serverFinalValid(success.authenticationData())).isTrue();
        assertThat(c.transport.closed()).isFalse();
    }

    @Test
    void failedReauthenticationDisconnectsWith0x87() {
        TestClient c = loggedIn("c1");
        ScramTestClient wrong = new ScramTestClient(SCRAM_USER, "pencil2", "again");
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, SCRAM, wrong.clientFirst()));
        answer(c, wrong);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.NOT_AUTHORIZED); // MQTT-4.12.1-2
    }

    @Test
    void reauthenticationAsAnotherUserDisconnectsWith0x87() {
        TestClient c = loggedIn("c1");
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, SCRAM,
                new ScramTestClient("bob", "hunter2", "x").clientFirst()));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void reauthenticationWithAnotherMethodIsAProtocolError() {
        TestClient c = loggedIn("c1");
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, "SCRAM-SHA-1",
                new ScramTestClient(SCRAM_USER, SCRAM_PASSWORD, "x").clientFirst()));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void continueWithoutAReauthenticationIsAProtocolError() {
        TestClient c = loggedIn("c1");
        c.send(auth(AuthReasonCode.CONTINUE_AUTHENTICATION, SCRAM, new byte[] {1}));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void authAfterAConnectWithoutMethodIsAProtocolError() {
        TestClient c = broker.connect(v5("c1"));
        c.send(auth(AuthReasonCode.RE_AUTHENTICATE, SCRAM, new byte[] {1}));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR); // MQTT-4.12.0-7
    }

    @Test
    void plainLoginsStillWorkWithoutAnyAuthExchange() {
        TestClient plain = broker.connect(v5("c1"));
        assertThat(plain.connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
        // MQTT-4.12.0-6: no method in CONNECT, so no AUTH and no Authentication Method in CONNACK
        assertThat(plain.sent(AuthPacket.class)).isEmpty();
        assertThat(plain.connAck().properties().authenticationMethod()).isNull();
        assertThat(plain.connAck().properties().authenticationData()).isNull();
        assertThat(broker.connect(v311("c2")).connAck().reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
    }
}
