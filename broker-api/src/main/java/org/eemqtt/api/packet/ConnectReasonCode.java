package org.eemqtt.api.packet;

/** CONNACK reason codes (MQTT 5.0 3.2.2.2); {@link #v3ReturnCode()} maps them to 3.x return codes. */
public enum ConnectReasonCode {
    SUCCESS(0x00),
    UNSPECIFIED_ERROR(0x80),
    MALFORMED_PACKET(0x81),
    PROTOCOL_ERROR(0x82),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    UNSUPPORTED_PROTOCOL_VERSION(0x84),
    CLIENT_IDENTIFIER_NOT_VALID(0x85),
    BAD_USER_NAME_OR_PASSWORD(0x86),
    NOT_AUTHORIZED(0x87),
    SERVER_UNAVAILABLE(0x88),
    SERVER_BUSY(0x89),
    BANNED(0x8A),
    BAD_AUTHENTICATION_METHOD(0x8C),
    TOPIC_NAME_INVALID(0x90),
    PACKET_TOO_LARGE(0x95),
    QUOTA_EXCEEDED(0x97),
    PAYLOAD_FORMAT_INVALID(0x99),
    RETAIN_NOT_SUPPORTED(0x9A),
    QOS_NOT_SUPPORTED(0x9B),
    USE_ANOTHER_SERVER(0x9C),
    SERVER_MOVED(0x9D),
    CONNECTION_RATE_EXCEEDED(0x9F);

    private final int code;

    ConnectReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    /** The MQTT 3.1/3.1.1 CONNACK return code closest in meaning. */
    public int v3ReturnCode() {
        return switch (this) {
            case SUCCESS -> 0x00;
            case UNSUPPORTED_PROTOCOL_VERSION -> 0x01;
            case CLIENT_IDENTIFIER_NOT_VALID -> 0x02;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 0x04;
            case NOT_AUTHORIZED, BANNED -> 0x05;
            default -> 0x03;
        };
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static ConnectReasonCode of(int code) {
        for (ConnectReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
