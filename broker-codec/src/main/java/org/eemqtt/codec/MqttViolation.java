package org.eemqtt.codec;

import org.eemqtt.api.CloseReason;
import org.eemqtt.api.packet.MqttVersion;

/**
 * A reason to drop the connection found by the codec, handed to the transport's last handler as a channel-read
 * message in place of a packet. Nothing is decoded after it: the transport logs it, calls
 * {@link MqttPipeline#closeFor} (which writes the reply MQTT asks for, if any, and closes) and, when the broker
 * already has the connection, reports {@link #closeReason()} to it.
 *
 * @param kind          what went wrong
 * @param detail        a human-readable description for the log
 * @param version       the protocol version of the connection's CONNECT, null when none was recognised
 * @param duringConnect the violation concerns the CONNECT itself, so the broker never saw this connection
 * @param answered      the codec already wrote the reply (a refusing CONNACK) and closed the channel
 */
public record MqttViolation(Kind kind, String detail, MqttVersion version, boolean duringConnect,
                            boolean answered) {

    /** The kinds of violation; see {@link #closeReason()} for how they map onto the broker's close reasons. */
    public enum Kind {
        /** The bytes are not a valid packet (bad flags, length, encoding, field values). */
        MALFORMED_PACKET,
        /** A well-formed packet that the protocol does not allow here (e.g. a server-only packet type). */
        PROTOCOL_ERROR,
        /** The packet is larger than the listener's maximum packet size. */
        PACKET_TOO_LARGE,
        /** The connection did not start with CONNECT (often not MQTT at all). */
        NOT_CONNECT_FIRST,
        /** CONNECT named a protocol name/level we do not speak; the codec answered with a CONNACK. */
        UNSUPPORTED_PROTOCOL,
        /** A 3.1 client identifier Netty rejected; the codec answered with a CONNACK. */
        CLIENT_IDENTIFIER_REJECTED
    }

    /** The reason to report to the broker's {@code ConnectionHandler.onClosed}. */
    public CloseReason closeReason() {
        return kind == Kind.PACKET_TOO_LARGE ? CloseReason.PACKET_TOO_LARGE : CloseReason.MALFORMED_PACKET;
    }

    /**
     * One log line, e.g. {@code MALFORMED_PACKET (MQTT 5): SUBSCRIBE fixed-header flags must be 0010, got 0000}, or
     * {@code NOT_CONNECT_FIRST (before CONNECT): ...} when no supported CONNECT was seen.
     */
    public String describe() {
        if (version == null) {
            return kind + " (before CONNECT): " + detail;
        }
        String v = "MQTT " + switch (version) {
            case V3_1 -> "3.1";
            case V3_1_1 -> "3.1.1";
            case V5 -> "5";
        };
        return kind + " (" + v + (duringConnect ? ", in CONNECT" : "") + "): " + detail;
    }
}
