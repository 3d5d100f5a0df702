package org.eemqtt.api.packet;

/** PUBCOMP. {@code reasonString} is null when absent (always for 3.x). */
public record PubCompPacket(int packetId, PubCompReasonCode reasonCode, String reasonString) implements MqttPacket {

    public PubCompPacket(int packetId, PubCompReasonCode reasonCode) {
        this(packetId, reasonCode, null);
    }
}
