package org.eemqtt.it.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.Paho5Callback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Enhanced authentication as Paho Java v5 1.2.5 sees it. Paho cannot send AUTH before CONNACK (its client only
 * sends CONNECT while not connected), so a complete SCRAM login is the HiveMQ IT's; here: the refusal of an
 * unsupported method, and the SCRAM challenge reaching Paho's authPacketArrived callback intact.
 */
@ExtendWith(BrokerExtension.class)
class PahoEnhancedAuthIT {

    private static MqttClient client(RunningBroker broker, String prefix) throws MqttException {
        return new MqttClient("tcp://" + broker.host() + ":" + broker.port(), Ids.clientId(prefix),
                new MemoryPersistence());
    }

    private static MqttConnectionOptions options(String method, byte[] data) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setAuthMethod(method);
        options.setAuthData(data);
        return options;
    }

    @Test
    void unsupportedMethodIsRefusedWith0x8C(RunningBroker broker) throws MqttException {
        MqttClient client = client(broker, "paho-meth");
        try {
            MqttException e = catchThrowableOfType(MqttException.class,
                    () -> client.connect(options("SCRAM-SHA-1", new byte[] {1})));
            assertThat(e).as("CONNECT with an unsupported method must fail").isNotNull();
            assertThat(e.getReasonCode()).as("CONNACK reason code (MQTT-4.12.0-1)").isEqualTo(0x8C);
            assertThat(client.isConnected()).isFalse();
        } finally {
            client.close(true);
        }
    }

    @Test
    void scramChallengeArrivesWithTheMethodAndTheServerFirstMessage(RunningBroker broker) throws MqttException {
        List<String> challenges = new CopyOnWriteArrayList<>();
        MqttClient client = client(broker, "paho-chal");
        client.setCallback(new Paho5Callback() {
            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                challenges.add(reasonCode + " " + properties.getAuthenticationMethod() + " "
                        + new String(properties.getAuthenticationData(), StandardCharsets.UTF_8));
            }
        });
        try {
            byte[] clientFirst = "n,,n=guest,r=paho-nonce".getBytes(StandardCharsets.UTF_8);
            // Paho cannot answer before CONNACK: the broker closes the connection after mqtt.connect.timeout
            MqttException e = catchThrowableOfType(MqttException.class,
                    () -> client.connect(options("SCRAM-SHA-256", clientFirst)));
            assertThat(e).as("an unanswered challenge must not end in a connection").isNotNull();
            assertThat(challenges).hasSize(1);
            // 24 = 0x18 Continue authentication; server-first-message r=<client nonce + server nonce>,s=..,i=..
            assertThat(challenges.get(0)).startsWith("24 SCRAM-SHA-256 r=paho-nonce").contains(",s=", ",i=10000");
            assertThat(client.isConnected()).isFalse();
        } finally {
            client.close(true);
        }
    }
}
