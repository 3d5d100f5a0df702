package org.eemqtt.api.packet;

/** SUBACK reason codes (MQTT 5.0 3.9.3); 3.x knows the granted QoS values and 0x80 failure. */
public enum SubAckReasonCode {
    GRANTED_QOS_0(0x00),
    GRANTED_QOS_1(0x01),
    GRANTED_QOS_2(0x02),
    UNSPECIFIED_ERROR(0x80),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    NOT_AUTHORIZED(0x87),
    TOPIC_FILTER_INVALID(0x8F),
    PACKET_IDENTIFIER_IN_USE(0x91),
    QUOTA_EXCEEDED(0x97),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2);

    private final int code;

    SubAckReasonCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isError() {
        return code >= 0x80;
    }

    public static SubAckReasonCode granted(QoS qos) {
        return values()[qos.value()];
    }

    /** The constant for a wire value, or null when the value is not defined for this packet. */
    public static SubAckReasonCode of(int code) {
        for (SubAckReasonCode r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
