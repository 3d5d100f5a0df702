package org.eemqtt.web.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MqttSubprotocolsTest {

    private final MqttSubprotocols configurator = new MqttSubprotocols();

    private String negotiate(String... requested) {
        return configurator.getNegotiatedSubprotocol(MqttSubprotocols.SUPPORTED, List.of(requested));
    }

    @Test
    void mqttIsChosenWhereverTheClientListsIt() {
        assertThat(negotiate("mqtt")).isEqualTo("mqtt");
        assertThat(negotiate("mqttv3.1", "mqttv3.1.1", "mqtt")).isEqualTo("mqtt");
    }

    @Test
    void olderNamesAreAcceptedWhenMqttIsNotOffered() {
        assertThat(negotiate("mqttv3.1")).isEqualTo("mqttv3.1");
        assertThat(negotiate("chat", "mqttv3.1", "mqttv3.1.1")).isEqualTo("mqttv3.1.1");
    }

    @Test
    void anythingElseGetsNoSubprotocol() {
        assertThat(negotiate()).isEmpty();
        assertThat(negotiate("chat", "MQTT")).isEmpty();
    }
}
