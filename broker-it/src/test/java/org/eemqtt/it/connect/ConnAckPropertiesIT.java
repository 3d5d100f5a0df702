package org.eemqtt.it.connect;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 CONNACK tells the truth about the broker's limits and features (3.2.2.3), seen by two real clients. */
@ExtendWith(BrokerExtension.class)
class ConnAckPropertiesIT {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hiveMqSeesEveryLimit(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("ack-hive"));
        try {
            Mqtt5ConnAck ack = client.connectWith().simpleAuth().username(MqttPackets.GUEST)
                    .password(text(MqttPackets.GUEST)).applySimpleAuth().keepAlive(30).send();
            Mqtt5ConnAckRestrictions r = ack.getRestrictions();
            assertThat(r.getReceiveMaximum()).isEqualTo(1024);
            assertThat(r.getMaximumPacketSize()).isEqualTo(1_048_576);
            assertThat(r.getTopicAliasMaximum()).isEqualTo(32);
            assertThat(r.getMaximumQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(r.isRetainAvailable()).isTrue();
            assertThat(r.isWildcardSubscriptionAvailable()).isTrue();
            assertThat(r.areSubscriptionIdentifiersAvailable()).isTrue();
            assertThat(r.isSharedSubscriptionAvailable()).isTrue();
            assertThat(ack.getServerKeepAlive()).isEmpty(); // 30 s is within the maximum of 60
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void keepAliveAboveTheMaximumIsAnsweredWithServerKeepAlive(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("ack-ka"));
        try {
            Mqtt5ConnAck ack = client.connectWith().simpleAuth().username(MqttPackets.GUEST)
                    .password(text(MqttPackets.GUEST)).applySimpleAuth().keepAlive(600).send();
            assertThat(ack.getServerKeepAlive()).hasValue(60); // MQTT-3.2.2-21: the client must use it
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void noKeepAliveIsAnsweredWithServerKeepAlive(RunningBroker broker) throws Exception {
        MqttClient paho = new MqttClient("tcp://" + broker.host() + ":" + broker.port(), Ids.clientId("ack-paho"),
                new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(MqttPackets.GUEST);
            options.setPassword(text(MqttPackets.GUEST));
            options.setKeepAliveInterval(0);
            IMqttToken token = paho.connectWithResult(options);
            assertThat(token.getResponseProperties().getServerKeepAlive()).isEqualTo(60);
            assertThat(token.getResponseProperties().getReceiveMaximum()).isEqualTo(1024);
            assertThat(token.getResponseProperties().getTopicAliasMaximum()).isEqualTo(32);
        } finally {
            if (paho.isConnected()) {
                paho.disconnect();
            }
            paho.close();
        }
    }
}
