package org.eemqtt.api.packet;

/** PUBLISH. {@code packetId} is 0 for QoS 0. */
public record PublishPacket(String topic, QoS qos, boolean retain, boolean dup, int packetId, byte[] payload,
                            PublishProperties properties) implements MqttPacket {

    public PublishPacket {
        properties = properties == null ? PublishProperties.NONE : properties;
    }
}
