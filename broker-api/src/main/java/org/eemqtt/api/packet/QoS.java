package org.eemqtt.api.packet;

/** Quality of service levels. */
public enum QoS {
    AT_MOST_ONCE, AT_LEAST_ONCE, EXACTLY_ONCE;

    public int value() {
        return ordinal();
    }

    public static QoS of(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("QoS " + value);
        }
        return values()[value];
    }

    public static QoS min(QoS a, QoS b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
