package org.eemqtt.api.packet;

/** PINGRESP. */
public record PingRespPacket() implements MqttPacket {
    public static final PingRespPacket INSTANCE = new PingRespPacket();
}
