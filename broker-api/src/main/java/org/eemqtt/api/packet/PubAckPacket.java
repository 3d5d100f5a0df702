package org.eemqtt.api.packet;

/** PUBACK. {@code reasonString} is null when absent (always for 3.x). */
public record PubAckPacket(int packetId, PubAckReasonCode reasonCode, String reasonString) implements MqttPacket {

    public PubAckPacket(int packetId, PubAckReasonCode reasonCode) {
        this(packetId, reasonCode, null);
    }
}
