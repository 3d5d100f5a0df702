package org.eemqtt.api.packet;

/** PUBREL reason codes (MQTT 5.0 3.6.2.1). */
public enum PubRelReasonCode {
    SUCCESS(0x00),
    PACKET_IDENTIFIER_NOT_FOUND(0x92);

    private final int code;

    PubRelReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static PubRelReasonCode of(int code) {
        for (PubRelReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
