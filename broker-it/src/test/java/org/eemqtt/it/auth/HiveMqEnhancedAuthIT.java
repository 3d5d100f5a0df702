package org.eemqtt.it.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT 5.0 enhanced authentication with the HiveMQ client's Mqtt5EnhancedAuthMechanism and a SCRAM-SHA-256 client
 * of our own, against the built-in user guest/guest (stored as a PBKDF2 hash, never in clear).
 */
@ExtendWith(BrokerExtension.class)
class HiveMqEnhancedAuthIT {

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(HiveClients::disconnectQuietly);
    }

    private Mqtt5BlockingClient client(RunningBroker broker, String prefix) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId(prefix));
        clients.add(client);
        return client;
    }

    private static Mqtt5ConnAck connect(Mqtt5BlockingClient client, ScramMechanism mechanism) {
        return client.connectWith().enhancedAuth(mechanism).cleanStart(true).send();
    }

    /** A QoS 1 message to itself and back: the connection serves normally. */
    private static void assertRoundTrip(Mqtt5BlockingClient client, String payload) throws InterruptedException {
        String topic = Ids.topicRoot("scram");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
            Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(received).as("own message back").isPresent();
            assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(payload);
        }
    }

    @Test
    void scramLoginSucceedsAndTheServerProvesItKnowsThePassword(RunningBroker broker) throws Exception {
        ScramMechanism scram = new ScramMechanism(MqttPackets.GUEST, MqttPackets.GUEST);
        Mqtt5BlockingClient client = client(broker, "scram-ok");
        Mqtt5ConnAck connAck = connect(client, scram);
        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        // MQTT-4.12.0-5: the successful CONNACK repeats the method; its data (server-final) was checked
        assertThat(connAck.getEnhancedAuth()).hasValueSatisfying(
                auth -> assertThat(auth.getMethod().toString()).isEqualTo("SCRAM-SHA-256"));
        assertThat(scram.events).containsExactly("auth", "continue", "success true");
        assertRoundTrip(client, "after SCRAM login");
    }

    @Test
    void wrongPasswordIsRefusedInConnAck(RunningBroker broker) {
        ScramMechanism scram = new ScramMechanism(MqttPackets.GUEST, "not-guest");
        Mqtt5BlockingClient client = client(broker, "scram-bad");
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> connect(client, scram));
        assertThat(e).as("a wrong SCRAM proof must fail the CONNECT").isNotNull();
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(scram.events).containsExactly("auth", "continue", "rejected BAD_USER_NAME_OR_PASSWORD");
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void unknownUserIsRefusedAtTheProofLikeAWrongPassword(RunningBroker broker) {
        ScramMechanism scram = new ScramMechanism("nobody-" + Ids.suffix(), "guest");
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> connect(client(broker, "scram-unk"), scram));
        assertThat(e).isNotNull();
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        // the server answered the client-first like for a real user: the exchange reached the proof
        assertThat(scram.events).containsExactly("auth", "continue", "rejected BAD_USER_NAME_OR_PASSWORD");
    }

    @Test
    void unsupportedMethodIsRefusedWithBadAuthenticationMethod(RunningBroker broker) {
        ScramMechanism other = new ScramMechanism("SCRAM-SHA-1", MqttPackets.GUEST, MqttPackets.GUEST);
        Mqtt5BlockingClient client = client(broker, "scram-meth");
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> connect(client, other));
        assertThat(e).isNotNull();
        // MQTT-4.12.0-1: 0x8C, and the connection is closed
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD);
        assertThat(other.events).containsExactly("auth", "rejected BAD_AUTHENTICATION_METHOD");
        assertThat(client.getState().isConnected()).isFalse();
    }

    @Test
    void reauthenticationSucceedsAndTheConnectionGoesOn(RunningBroker broker) throws Exception {
        ScramMechanism scram = new ScramMechanism(MqttPackets.GUEST, MqttPackets.GUEST);
        Mqtt5BlockingClient client = client(broker, "scram-re");
        connect(client, scram);
        client.reauth(); // AUTH 0x19 -> AUTH 0x18 -> AUTH 0x18 -> AUTH 0x00 (MQTT 5.0 4.12.1)
        client.reauth();
        assertThat(scram.events).containsExactly("auth", "continue", "success true",
                "reauth", "continue", "reauth success true", "reauth", "continue", "reauth success true");
        assertThat(client.getState().isConnected()).isTrue();
        assertRoundTrip(client, "after re-authentication");
    }
}
