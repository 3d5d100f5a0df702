package org.eemqtt.api.packet;

/** AUTH reason codes (MQTT 5.0 3.15.2.1). */
public enum AuthReasonCode {
    SUCCESS(0x00),
    CONTINUE_AUTHENTICATION(0x18),
    RE_AUTHENTICATE(0x19);

    private final int code;

    AuthReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static AuthReasonCode of(int code) {
        for (AuthReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
