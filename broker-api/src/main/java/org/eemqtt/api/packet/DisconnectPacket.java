package org.eemqtt.api.packet;

/** DISCONNECT. {@code sessionExpiryInterval}, {@code reasonString} and {@code serverReference} are null when absent. */
public record DisconnectPacket(DisconnectReasonCode reasonCode, Long sessionExpiryInterval, String reasonString,
                               String serverReference) implements MqttPacket {

    public static DisconnectPacket of(DisconnectReasonCode reasonCode) {
        return new DisconnectPacket(reasonCode, null, null, null);
    }

    public static DisconnectPacket of(DisconnectReasonCode reasonCode, String reasonString) {
        return new DisconnectPacket(reasonCode, null, reasonString, null);
    }
}
