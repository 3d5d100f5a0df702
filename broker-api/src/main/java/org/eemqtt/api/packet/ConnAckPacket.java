package org.eemqtt.api.packet;

/** CONNACK. */
public record ConnAckPacket(boolean sessionPresent, ConnectReasonCode reasonCode, ConnAckProperties properties)
        implements MqttPacket {

    public ConnAckPacket {
        properties = properties == null ? ConnAckProperties.NONE : properties;
    }

    public static ConnAckPacket refuse(ConnectReasonCode reasonCode) {
        return new ConnAckPacket(false, reasonCode, ConnAckProperties.NONE);
    }
}
