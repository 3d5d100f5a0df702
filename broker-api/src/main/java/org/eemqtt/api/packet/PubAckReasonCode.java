package org.eemqtt.api.packet;

/** PUBACK reason codes (MQTT 5.0 3.4.2.1). */
public enum PubAckReasonCode {
    SUCCESS(0x00),
    NO_MATCHING_SUBSCRIBERS(0x10),
    UNSPECIFIED_ERROR(0x80),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    NOT_AUTHORIZED(0x87),
    TOPIC_NAME_INVALID(0x90),
    PACKET_IDENTIFIER_IN_USE(0x91),
    QUOTA_EXCEEDED(0x97),
    PAYLOAD_FORMAT_INVALID(0x99);

    private final int code;

    PubAckReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static PubAckReasonCode of(int code) {
        for (PubAckReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
