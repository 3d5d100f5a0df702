package org.eemqtt.api;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {

    @Test
    void missingOrBlankValuesFallBackToTheDefault() {
        assertThat(Setting.TCP_PORT.intValue(key -> Optional.empty())).isEqualTo(1883);
        assertThat(Setting.BIND_ADDRESS.value(key -> Optional.of("  "))).isEqualTo("0.0.0.0");
    }

    @Test
    void configuredValuesAreTrimmedAndParsed() {
        Map<String, String> config = Map.of("mqtt.tcp.port", " 2883 ", "mqtt.allow.anonymous", "TRUE");
        assertThat(Setting.TCP_PORT.intValue(key -> Optional.ofNullable(config.get(key)))).isEqualTo(2883);
        assertThat(Setting.ALLOW_ANONYMOUS.booleanValue(key -> Optional.ofNullable(config.get(key)))).isTrue();
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> Setting.TCP_PORT.intValue(key -> Optional.of("eighteen")))
                .hasMessageContaining("mqtt.tcp.port").hasMessageContaining("eighteen");
        assertThatThrownBy(() -> Setting.ALLOW_ANONYMOUS.booleanValue(key -> Optional.of("yes")))
                .hasMessageContaining("mqtt.allow.anonymous");
    }
}
