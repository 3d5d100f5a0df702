package org.eemqtt.it.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT/CONNACK with Eclipse Paho: authentication and the two 3.x protocol versions. */
@ExtendWith(BrokerExtension.class)
class PahoConnectIT {

    /** CONNACK return code 4: bad user name or password (MQTT 3.1.1 table 3.1). */
    private static final int BAD_USER_NAME_OR_PASSWORD = 4;

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PahoClients::closeQuietly);
    }

    @ParameterizedTest(name = "MQTT version option {0}")
    @ValueSource(ints = {MqttConnectOptions.MQTT_VERSION_3_1, MqttConnectOptions.MQTT_VERSION_3_1_1})
    void wrongPasswordIsRejectedWithReturnCode4(int mqttVersion, RunningBroker broker) {
        MqttClient client = create(broker, "paho-badpw");
        MqttSecurityException e = catchThrowableOfType(MqttSecurityException.class,
                () -> client.connect(PahoClients.options(mqttVersion, true, "not-the-password")));
        assertThat(e).as("connect with a wrong password must fail with MqttSecurityException").isNotNull();
        assertThat(e.getReasonCode()).as("CONNACK return code").isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void unknownUserIsRejectedWithReturnCode4(RunningBroker broker) {
        MqttClient client = create(broker, "paho-nouser");
        MqttConnectOptions options = PahoClients.options(true);
        options.setUserName("nobody-" + Ids.suffix());
        MqttSecurityException e = catchThrowableOfType(MqttSecurityException.class, () -> client.connect(options));
        assertThat(e).as("connect as an unknown user must fail with MqttSecurityException").isNotNull();
        assertThat(e.getReasonCode()).as("CONNACK return code").isEqualTo(BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void cleanConnectHasNoSessionPresent(RunningBroker broker) throws MqttException {
        MqttClient client = create(broker, "paho-clean");
        IMqttToken token = client.connectWithResult(PahoClients.options(true));
        assertThat(client.isConnected()).isTrue();
        assertThat(token.getSessionPresent()).as("Session Present of a clean session").isFalse();
    }

    @Test
    void mqtt31ClientRoundTripsAQos1Message(RunningBroker broker) throws MqttException {
        String topic = Ids.topicRoot("paho-v31");
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = create(broker, "paho31-sub");
        subscriber.setCallback(received);
        subscriber.connect(PahoClients.options(MqttConnectOptions.MQTT_VERSION_3_1, true, "guest"));
        subscriber.subscribe(topic, 1);

        MqttClient publisher = create(broker, "paho31-pub");
        publisher.connect(PahoClients.options(MqttConnectOptions.MQTT_VERSION_3_1, true, "guest"));
        publisher.publish(topic, PahoClients.utf8("over MQTT 3.1"), 1, false);

        RecordingCallback.Received message = received.next(Duration.ofSeconds(15));
        assertThat(message.text()).isEqualTo("over MQTT 3.1");
        assertThat(message.qos()).isEqualTo(1);
    }

    private MqttClient create(RunningBroker broker, String prefix) {
        MqttClient client = PahoClients.create(broker, Ids.clientId(prefix));
        clients.add(client);
        return client;
    }
}
