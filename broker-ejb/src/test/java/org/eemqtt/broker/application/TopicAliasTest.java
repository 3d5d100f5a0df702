package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.api.packet.QoS.AT_LEAST_ONCE;
import static org.eemqtt.api.packet.QoS.AT_MOST_ONCE;
import static org.eemqtt.broker.application.TestBroker.v5;

/** MQTT 5.0 topic aliases (3.3.2.3.4), client to broker (our maximum: 32) and broker to client (theirs). */
class TopicAliasTest {

    private final TestBroker broker = new TestBroker(new ControllableStore());

    @AfterEach
    void stop() {
        broker.close();
    }

    private static PublishPacket aliased(String topic, int alias, String payload) {
        return new PublishPacket(topic, AT_MOST_ONCE, false, false, 0, payload.getBytes(StandardCharsets.UTF_8),
                new PublishProperties(null, null, alias, null, null, null, null, null));
    }

    private static DisconnectReasonCode disconnectReason(TestClient c) {
        return ((DisconnectPacket) c.transport.closes().get(0).lastPacket()).reasonCode();
    }

    @Test
    void anAliasSetWithATopicStandsForItLater() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe("sensors/+/temperature", AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c"));
        c.send(aliased("sensors/kitchen/temperature", 3, "21"));
        c.send(aliased("", 3, "22"));
        c.send(aliased("sensors/hall/temperature", 3, "19")); // the alias now stands for another topic
        c.send(aliased("", 3, "18"));
        assertThat(s.publishes()).extracting(PublishPacket::topic).containsExactly("sensors/kitchen/temperature",
                "sensors/kitchen/temperature", "sensors/hall/temperature", "sensors/hall/temperature");
        assertThat(s.publishes()).allSatisfy(p -> assertThat(p.properties().topicAlias()).isNull());
        assertThat(s.payloads()).containsExactly("21", "22", "19", "18");
    }

    @Test
    void aliasZeroIsInvalid() {
        TestClient c = broker.connect(v5("c"));
        c.send(aliased("t", 0, "x"));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    void aliasAboveOurMaximumIsInvalid() {
        TestClient c = broker.connect(v5("c"));
        c.send(aliased("t", 33, "x")); // MQTT-3.3.2-9
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    void unknownAliasIsAProtocolError() {
        TestClient c = broker.connect(v5("c"));
        c.send(aliased("", 5, "x"));
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void emptyTopicWithoutAliasIsAProtocolError() {
        TestClient c = broker.connect(v5("c"));
        c.publish("", "x", AT_MOST_ONCE);
        assertThat(disconnectReason(c)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void aliasesDoNotOutliveTheConnection() {
        TestClient c = broker.connect(v5("c"));
        c.send(aliased("a/topic", 1, "x"));
        TestClient again = broker.connect(v5("c")); // takes over: a new connection, no aliases
        again.send(aliased("", 1, "y"));
        assertThat(disconnectReason(again)).isEqualTo(DisconnectReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void brokerUsesAliasesWithinTheClientsMaximum() {
        TestClient s = broker.connect(v5("s").topicAliasMaximum(2));
        s.subscribe("#", AT_LEAST_ONCE);
        s.clear();
        TestClient c = broker.connect(v5("c"));
        for (String topic : new String[]{"first/topic", "first/topic", "second/topic", "third/topic",
                "third/topic", "first/topic"}) {
            c.publish(topic, "x", AT_MOST_ONCE);
        }
        assertThat(s.publishes()).extracting(p -> p.topic() + "@" + p.properties().topicAlias()).containsExactly(
                "first/topic@1", "@1", "second/topic@2",
                "third/topic@1", "@1",              // alias 1 reassigned: the oldest mapping makes room
                "first/topic@2");                    // and first/topic gets a fresh one
    }

    @Test
    void noAliasesForClientsWithoutAMaximumOrForShortTopics() {
        TestClient s = broker.connect(v5("s"));
        s.subscribe("#", AT_MOST_ONCE);
        TestClient t = broker.connect(v5("t").topicAliasMaximum(5));
        t.subscribe("#", AT_MOST_ONCE);
        TestClient c = broker.connect(v5("c"));
        c.publish("some/topic", "x", AT_MOST_ONCE);
        c.publish("abc", "x", AT_MOST_ONCE);
        assertThat(s.publishes()).allSatisfy(p -> assertThat(p.properties().topicAlias()).isNull());
        assertThat(t.publishes()).extracting(p -> p.topic() + "@" + p.properties().topicAlias())
                .containsExactly("some/topic@1", "abc@null");
    }
}
