package org.eemqtt.api.packet;

/** PUBREL. {@code reasonString} is null when absent (always for 3.x). */
public record PubRelPacket(int packetId, PubRelReasonCode reasonCode, String reasonString) implements MqttPacket {

    public PubRelPacket(int packetId, PubRelReasonCode reasonCode) {
        this(packetId, reasonCode, null);
    }
}
