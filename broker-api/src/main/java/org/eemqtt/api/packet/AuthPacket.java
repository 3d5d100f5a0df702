package org.eemqtt.api.packet;

/** AUTH (MQTT 5.0 enhanced authentication). */
public record AuthPacket(AuthReasonCode reasonCode, String authenticationMethod, byte[] authenticationData,
                         String reasonString) implements MqttPacket {
}
