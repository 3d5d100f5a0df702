package org.eemqtt.it.requestresponse;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.Raw5;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 request/response (4.10) and the application-message properties the broker forwards unchanged. */
@ExtendWith(BrokerExtension.class)
class RequestResponseIT {

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttClient paho(RunningBroker broker, String clientId, MqttConnectionOptions options)
            throws Exception {
        MqttClient client = new MqttClient("tcp://" + broker.host() + ":" + broker.port(), clientId,
                new MemoryPersistence());
        options.setUserName(MqttPackets.GUEST);
        options.setPassword(text(MqttPackets.GUEST));
        client.connect(options);
        return client;
    }

    private static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (Exception ignored) {
            // cleanup only
        }
    }

    @Test
    void propertiesReachTheSubscriberUnchangedAndInOrder(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("rr-props") + "/request";
        Mqtt5BlockingClient requester = HiveClients.connected(broker, Ids.clientId("rr-req"));
        Mqtt5BlockingClient responder = HiveClients.connected(broker, Ids.clientId("rr-resp"));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = responder.publishes(MqttGlobalPublishFilter.ALL)) {
            responder.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            requester.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("ping ✓"))
                    .responseTopic(topic + "/reply").correlationData(new byte[] {0, 1, 2, (byte) 0xFF})
                    .contentType("text/plain; charset=utf-8")
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .messageExpiryInterval(3600)
                    .userProperties().add("b", "1").add("a", "2").add("b", "3").applyUserProperties()
                    .send();
            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getResponseTopic()).hasValueSatisfying(t -> assertThat(t.toString())
                    .isEqualTo(topic + "/reply"));
            ByteBuffer correlation = p.getCorrelationData().orElseThrow();
            byte[] correlationBytes = new byte[correlation.remaining()];
            correlation.get(correlationBytes);
            assertThat(correlationBytes).containsExactly(0, 1, 2, 0xFF);
            assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("text/plain; charset=utf-8");
            assertThat(p.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(p.getMessageExpiryInterval().orElseThrow()).isBetween(3590L, 3600L); // lowered, not more
            // MQTT-3.3.2-17/-18: user properties forwarded unchanged, in their order, duplicates kept
            assertThat(p.getUserProperties().asList()).extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("b=1", "a=2", "b=3");
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("ping ✓");
        } finally {
            HiveClients.disconnectQuietly(requester);
            HiveClients.disconnectQuietly(responder);
        }
    }

    @Test
    void requestAndResponseBetweenHiveMqAndPaho(RunningBroker broker) throws Exception {
        String requestTopic = Ids.topicRoot("rr-rt") + "/service";
        String replyTopic = Ids.topicRoot("rr-rt") + "/reply";
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        MqttClient service = paho(broker, Ids.clientId("rr-paho"), options);
        Mqtt5BlockingClient requester = HiveClients.connected(broker, Ids.clientId("rr-hive"));
        try (Mqtt5BlockingClient.Mqtt5Publishes replies = requester.publishes(MqttGlobalPublishFilter.ALL)) {
            // the service answers on the Response Topic, echoing the Correlation Data (MQTT 5.0 4.10)
            service.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                new org.eclipse.paho.mqttv5.common.MqttSubscription(requestTopic, 1)}, new
                org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, request) -> {
                    MqttProperties in = request.getProperties();
                    MqttProperties out = new MqttProperties();
                    out.setCorrelationData(in.getCorrelationData());
                    out.setUserProperties(List.of(new UserProperty("served-by", "paho")));
                    MqttMessage reply = new MqttMessage(("re: " + new String(request.getPayload(),
                            StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    reply.setQos(1);
                    reply.setProperties(out);
                    new Thread(() -> {
                        try {
                            service.publish(in.getResponseTopic(), reply);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).start();
                }});
            requester.subscribeWith().topicFilter(replyTopic).qos(MqttQos.AT_LEAST_ONCE).send();
            requester.publishWith().topic(requestTopic).qos(MqttQos.AT_LEAST_ONCE).payload(text("hello"))
                    .responseTopic(replyTopic).correlationData(text("req-42")).send();
            Mqtt5Publish reply = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(reply.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("re: hello");
            ByteBuffer correlation = reply.getCorrelationData().orElseThrow();
            assertThat(StandardCharsets.UTF_8.decode(correlation).toString()).isEqualTo("req-42");
            assertThat(reply.getUserProperties().asList()).extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("served-by=paho");
        } finally {
            HiveClients.disconnectQuietly(requester);
            closeQuietly(service);
        }
    }

    @Test
    void pahoReceivesTheForwardedProperties(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("rr-pahosub") + "/t";
        BlockingQueue<MqttMessage> received = new ArrayBlockingQueue<>(1);
        MqttConnectionOptions options = new MqttConnectionOptions();
        MqttClient subscriber = paho(broker, Ids.clientId("rr-pahosub"), options);
        Mqtt5BlockingClient publisher = HiveClients.connected(broker, Ids.clientId("rr-hivepub"));
        try {
            subscriber.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                new org.eclipse.paho.mqttv5.common.MqttSubscription(topic, 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> received.add(m)});
            publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(text("{}"))
                    .contentType("application/json").responseTopic(topic + "/r").correlationData(text("c1"))
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .userProperties().add("k", "v").applyUserProperties().send();
            MqttMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            MqttProperties p = m.getProperties();
            assertThat(p.getContentType()).isEqualTo("application/json");
            assertThat(p.getResponseTopic()).isEqualTo(topic + "/r");
            assertThat(new String(p.getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("c1");
            assertThat(p.getPayloadFormat()).isTrue();
            assertThat(p.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue()).containsExactly("k=v");
        } finally {
            HiveClients.disconnectQuietly(publisher);
            closeQuietly(subscriber);
        }
    }

    @Test
    void responseInformationWhenRequested(RunningBroker broker) throws Exception {
        String id = Ids.clientId("rr-info");
        Mqtt5BlockingClient client = HiveClients.builder(broker, id).buildBlocking();
        try {
            Mqtt5ConnAck ack = client.connectWith().simpleAuth().username(MqttPackets.GUEST)
                    .password(text(MqttPackets.GUEST)).applySimpleAuth()
                    .restrictions().requestResponseInformation(true).applyRestrictions().send();
            String expected = BrokerExtension.RESPONSE_INFORMATION.replace("%c", id);
            assertThat(ack.getResponseInformation().orElseThrow().toString()).isEqualTo(expected);
        } finally {
            HiveClients.disconnectQuietly(client);
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setRequestResponseInfo(true);
        MqttClient paho = new MqttClient("tcp://" + broker.host() + ":" + broker.port(), Ids.clientId("rr-info-p"),
                new MemoryPersistence());
        try {
            options.setUserName(MqttPackets.GUEST);
            options.setPassword(text(MqttPackets.GUEST));
            IMqttToken token = paho.connectWithResult(options);
            assertThat(token.getResponseProperties().getResponseInfo()).startsWith("responses/rr-info-p");
        } finally {
            closeQuietly(paho);
        }
    }

    @Test
    void noResponseInformationUnlessRequested(RunningBroker broker) {
        Mqtt5BlockingClient client = HiveClients.client(broker, Ids.clientId("rr-noinfo"));
        try {
            assertThat(HiveClients.connect(client).getResponseInformation()).isEmpty();
        } finally {
            HiveClients.disconnectQuietly(client);
        }
    }

    @Test
    void payloadThatIsNotTheUtf8ItClaimsGets0x99(RunningBroker broker) {
        String topic = Ids.topicRoot("rr-pfi") + "/t";
        try (RawConnection c = Raw5.connected(broker, Ids.clientId("rr-pfi"))) {
            byte[] utf8Claimed = Raw5.byteProperty(Raw5.PAYLOAD_FORMAT_INDICATOR, 1);
            c.send(Raw5.publish(topic, 1, 1, new byte[] {(byte) 0xC0, (byte) 0x80}, utf8Claimed)); // overlong NUL
            Packet ack = c.readPacket(Duration.ofSeconds(10));
            assertThat(ack.type()).isEqualTo(Packet.PUBACK);
            assertThat(ack.body()[2] & 0xFF).isEqualTo(0x99); // PUBACK: packet id, reason code
            c.send(Raw5.publish(topic, 1, 2, text("valid ✓"), utf8Claimed));
            Packet ok = c.readPacket(Duration.ofSeconds(10));
            assertThat(ok.packetId()).isEqualTo(2);
            assertThat(ok.body().length == 2 || (ok.body()[2] & 0xFF) < 0x80).isTrue();
        }
    }
}
