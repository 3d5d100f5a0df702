package org.eemqtt.it.authorization;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The authorization interface with the configured denied filters (the shared broker denies
 * {@value BrokerExtension#DENIED_FILTER}): 5.0 answers 0x87 Not authorized, 3.1.1 SUBACK 0x80 and a dropped publish.
 */
@ExtendWith(BrokerExtension.class)
class DeniedTopicsIT {

    private static final String DENIED_ROOT = BrokerExtension.DENIED_FILTER.replace("/#", "");

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mqtt5PublishToADeniedTopicGets0x87AndReachesNobody(RunningBroker broker) throws Exception {
        String leaf = Ids.suffix();
        Mqtt5BlockingClient watcher = HiveClients.connected(broker, Ids.clientId("dn-watch"));
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("dn-pub"));
        try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("+/" + leaf).qos(MqttQos.AT_LEAST_ONCE).send(); // wider: allowed
            Mqtt5PubAckReasonCode qos1;
            try {
                Mqtt5PublishResult r = publisher.publishWith().topic(DENIED_ROOT + "/" + leaf)
                        .qos(MqttQos.AT_LEAST_ONCE).payload(text("secret")).send();
                qos1 = ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
            } catch (Mqtt5PubAckException e) {
                qos1 = e.getMqttMessage().getReasonCode();
            }
            assertThat(qos1).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            Mqtt5PubRecReasonCode qos2;
            try {
                Mqtt5PublishResult r = publisher.publishWith().topic(DENIED_ROOT + "/" + leaf)
                        .qos(MqttQos.EXACTLY_ONCE).payload(text("secret")).send();
                qos2 = ((Mqtt5PublishResult.Mqtt5Qos2Result) r).getPubRec().getReasonCode();
            } catch (Mqtt5PubRecException e) {
                qos2 = e.getMqttMessage().getReasonCode();
            }
            assertThat(qos2).isEqualTo(Mqtt5PubRecReasonCode.NOT_AUTHORIZED);
            publisher.publishWith().topic("open/" + leaf).qos(MqttQos.AT_LEAST_ONCE).payload(text("marker")).send();
            String first = new String(seen.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8);
            assertThat(first).isEqualTo("marker"); // the denied messages never reached the wider subscription
            assertThat(publisher.getState().isConnected()).isTrue();
        } finally {
            HiveClients.disconnectQuietly(watcher);
            HiveClients.disconnectQuietly(publisher);
        }
    }

    @Test
    void mqtt5SubscribeToADeniedFilterGets0x87(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.connected(broker, Ids.clientId("dn-sub"));
        try {
            Mqtt5SubAckException e = catchThrowableOfType(Mqtt5SubAckException.class, () -> client.subscribeWith()
                    .addSubscription().topicFilter(DENIED_ROOT + "/+").applySubscription()
                    .addSubscription().topicFilter("open/" + Ids.suffix()).qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription().send());
            assertThat(e).isNotNull();
            assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void mqtt311SubscribeToADeniedFilterFailsWith0x80(RunningBroker broker) throws Exception {
        MqttClient client = PahoClients.connect(broker, Ids.clientId("dn-paho-sub"), true, null);
        try {
            int granted;
            try {
                granted = client.subscribeWithResponse(DENIED_ROOT + "/x", 1).getGrantedQos()[0];
            } catch (MqttException e) {
                granted = e.getReasonCode(); // Paho reports SUBACK 0x80 as REASON_CODE_SUBSCRIBE_FAILED (128)
            }
            assertThat(granted).isEqualTo(0x80);
        } finally {
            PahoClients.closeQuietly(client);
        }
    }

    @Test
    void mqtt311PublishToADeniedTopicIsAcknowledgedButDropped(RunningBroker broker) throws Exception {
        String leaf = Ids.suffix();
        Mqtt5BlockingClient watcher = HiveClients.connected(broker, Ids.clientId("dn-watch3"));
        MqttClient publisher = PahoClients.connect(broker, Ids.clientId("dn-paho-pub"), true, null);
        try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("+/" + leaf).qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publish(DENIED_ROOT + "/" + leaf, text("secret"), 1, false); // PUBACK arrives: no error
            publisher.publish(DENIED_ROOT + "/" + leaf, text("secret"), 2, false);
            publisher.publish("open/" + leaf, text("marker"), 1, false);
            String first = new String(seen.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8);
            assertThat(first).isEqualTo("marker");
            assertThat(publisher.isConnected()).isTrue();
        } finally {
            HiveClients.disconnectQuietly(watcher);
            PahoClients.closeQuietly(publisher);
        }
    }
}
