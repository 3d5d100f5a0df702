package org.eemqtt.it.server;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A broker of its own with every protocol feature setting turned down: the settings reach CONNACK and are enforced
 * (MQTT 5.0 3.2.2.3). Anonymous login is on here (it is off by default, see the shared broker's tests).
 */
class RestrictedBrokerIT {

    private static BrokerProcess process;
    private static RunningBroker broker;

    @BeforeAll
    static void start() {
        int port = ItSettings.mqttPort() + 40;
        Map<String, String> settings = Map.of(
                "mqtt.tcp.port", String.valueOf(port),
                "mqtt.data.dir", ItSettings.workDir().resolve("restricted-" + Ids.suffix()).toString(),
                "mqtt.allow.anonymous", "true",
                "mqtt.max.qos", "1",
                "mqtt.retain.available", "false",
                "mqtt.shared.subscriptions", "false",
                "mqtt.topic.alias.maximum", "0",
                "mqtt.receive.maximum", "5",
                "mqtt.keepalive.max", "20");
        process = BrokerProcess.start("restricted", settings,
                List.of("--port", String.valueOf(ItSettings.httpPort() + 40)));
        BrokerReadiness.awaitReady(process, ItSettings.HOST, port, Duration.ofSeconds(180));
        broker = new RunningBroker(ItSettings.HOST, port, process);
    }

    @AfterAll
    static void stop() {
        if (process != null) {
            process.close();
        }
    }

    private static Mqtt5BlockingClient anonymous(String prefix) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId(prefix));
        client.connectWith().keepAlive(60).send();
        return client;
    }

    @Test
    void connAckTellsTheRestrictedTruth() {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("rb-ack"));
        try {
            Mqtt5ConnAck ack = client.connectWith().keepAlive(60).send(); // anonymous: allowed here
            Mqtt5ConnAckRestrictions r = ack.getRestrictions();
            assertThat(r.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);  // MQTT-3.2.2-9
            assertThat(r.isRetainAvailable()).isFalse();
            assertThat(r.isSharedSubscriptionAvailable()).isFalse();
            assertThat(r.getTopicAliasMaximum()).isZero();
            assertThat(r.getReceiveMaximum()).isEqualTo(5);
            assertThat(ack.getServerKeepAlive()).hasValue(20);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void mqtt311AnonymousLoginWhenAllowed() {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 4, false, Ids.clientId("rb-anon"), null, null, 30, true));
            c.expectBytes(MqttPackets.CONNACK_ACCEPTED, Duration.ofSeconds(10));
        }
    }

    @Test
    void qos2PublishIsDisconnectedWith0x9B() {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 5, true, Ids.clientId("rb-qos"), null, null, 10, true));
            assertThat(c.readPacket(Duration.ofSeconds(10)).connackCode()).isZero();
            c.sendQuietly(MqttPackets.publish("rb/t", 2, 1, new byte[] {1}, true));
            BadInput.assertDisconnectThenClose(c, 0x9B, "QoS 2 PUBLISH above Maximum QoS 1");
        }
    }

    @Test
    void retainedPublishIsDisconnectedWith0x9A() {
        try (RawConnection c = RawConnection.open(broker)) {
            c.send(MqttPackets.connect("MQTT", 5, true, Ids.clientId("rb-ret"), null, null, 10, true));
            assertThat(c.readPacket(Duration.ofSeconds(10)).connackCode()).isZero();
            c.sendQuietly(MqttPackets.packet(0x31, MqttPackets.utf8("rb/t"), new byte[] {0}, new byte[] {1}));
            BadInput.assertDisconnectThenClose(c, 0x9A, "retained PUBLISH while Retain Available is 0");
        }
    }

    @Test
    void willAboveMaximumQosIsRefusedAtConnect() {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("rb-will"));
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> client.connectWith()
                .willPublish().topic("rb/will").qos(MqttQos.EXACTLY_ONCE).payload(new byte[] {1}).applyWillPublish()
                .send());
        assertThat(e).isNotNull();
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.QOS_NOT_SUPPORTED);
    }

    @Test
    void retainedWillIsRefusedAtConnect() {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("rb-rwill"));
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> client.connectWith()
                .willPublish().topic("rb/will").retain(true).payload(new byte[] {1}).applyWillPublish().send());
        assertThat(e).isNotNull();
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.RETAIN_NOT_SUPPORTED);
    }

    @Test
    void sharedSubscriptionIsRefusedWith0x9E() {
        Mqtt5BlockingClient client = anonymous("rb-share");
        try {
            Mqtt5SubAckException e = catchThrowableOfType(Mqtt5SubAckException.class,
                    () -> client.subscribeWith().topicFilter("$share/g/rb/#").send());
            assertThat(e).isNotNull();
            assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void subscriptionIsGrantedAtMostQos1() {
        Mqtt5BlockingClient client = anonymous("rb-grant");
        try {
            assertThat(client.subscribeWith().topicFilter("rb/" + Ids.suffix()).qos(MqttQos.EXACTLY_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1); // MQTT-3.2.2-10
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }
}
