package org.eemqtt.api.packet;

/** PUBREC. {@code reasonString} is null when absent (always for 3.x). */
public record PubRecPacket(int packetId, PubRecReasonCode reasonCode, String reasonString) implements MqttPacket {

    public PubRecPacket(int packetId, PubRecReasonCode reasonCode) {
        this(packetId, reasonCode, null);
    }
}
