package org.eemqtt.api.packet;

/** PUBCOMP reason codes (MQTT 5.0 3.7.2.1). */
public enum PubCompReasonCode {
    SUCCESS(0x00),
    PACKET_IDENTIFIER_NOT_FOUND(0x92);

    private final int code;

    PubCompReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static PubCompReasonCode of(int code) {
        for (PubCompReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
