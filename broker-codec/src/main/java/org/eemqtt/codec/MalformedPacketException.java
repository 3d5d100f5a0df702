package org.eemqtt.codec;

/**
 * A packet that breaks a rule Netty does not check: returned by {@link PacketValidator}, thrown by
 * {@link InboundPacketMapper}.
 */
public final class MalformedPacketException extends RuntimeException {

    private final MqttViolation.Kind kind;

    public MalformedPacketException(MqttViolation.Kind kind, String message) {
        super(message, null, false, false); // an expected outcome of bad input: no stack trace needed
        this.kind = kind;
    }

    public MqttViolation.Kind kind() {
        return kind;
    }

    static MalformedPacketException malformed(String message) {
        return new MalformedPacketException(MqttViolation.Kind.MALFORMED_PACKET, message);
    }

    static MalformedPacketException protocolError(String message) {
        return new MalformedPacketException(MqttViolation.Kind.PROTOCOL_ERROR, message);
    }
}
