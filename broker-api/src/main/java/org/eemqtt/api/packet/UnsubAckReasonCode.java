package org.eemqtt.api.packet;

/** UNSUBACK reason codes (MQTT 5.0 3.11.3). */
public enum UnsubAckReasonCode {
    SUCCESS(0x00),
    NO_SUBSCRIPTION_EXISTED(0x11),
    UNSPECIFIED_ERROR(0x80),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    NOT_AUTHORIZED(0x87),
    TOPIC_FILTER_INVALID(0x8F),
    PACKET_IDENTIFIER_IN_USE(0x91);

    private final int code;

    UnsubAckReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static UnsubAckReasonCode of(int code) {
        for (UnsubAckReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
