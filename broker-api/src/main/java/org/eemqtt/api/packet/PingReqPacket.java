package org.eemqtt.api.packet;

/** PINGREQ. */
public record PingReqPacket() implements MqttPacket {
    public static final PingReqPacket INSTANCE = new PingReqPacket();
}
