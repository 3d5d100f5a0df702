package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;

/**
 * The size on the wire of a PUBLISH (MQTT 3.1.1 3.3, MQTT 5.0 3.3), so that the broker can keep to a client's
 * Maximum Packet Size without encoding the packet first.
 */
final class PublishSize {

    private PublishSize() {
    }

    static long of(OutboundMessage outbound, boolean v5) {
        long remaining = 2L + utf8Length(outbound.message().topic()) + outbound.message().payload().length;
        if (outbound.qos() != QoS.AT_MOST_ONCE) {
            remaining += 2; // packet identifier
        }
        if (v5) {
            long properties = propertiesLength(
                    outbound.message().properties().forSubscriber(outbound.subscriptionIdentifiers()));
            remaining += varIntSize(properties) + properties;
        }
        return 1 + varIntSize(remaining) + remaining;
    }

    /** The size of a PUBLISH packet as it will be encoded. */
    static long of(PublishPacket packet, boolean v5) {
        long remaining = 2L + utf8Length(packet.topic()) + packet.payload().length;
        if (packet.qos() != QoS.AT_MOST_ONCE) {
            remaining += 2;
        }
        if (v5) {
            long properties = propertiesLength(packet.properties());
            remaining += varIntSize(properties) + properties;
        }
        return 1 + varIntSize(remaining) + remaining;
    }

    private static long propertiesLength(PublishProperties p) {
        long length = 0;
        if (p.payloadFormatIndicator() != null) {
            length += 2;
        }
        if (p.messageExpiryInterval() != null) {
            length += 5;
        }
        if (p.topicAlias() != null) {
            length += 3;
        }
        if (p.responseTopic() != null) {
            length += 3 + utf8Length(p.responseTopic());
        }
        if (p.correlationData() != null) {
            length += 3 + p.correlationData().length;
        }
        if (p.contentType() != null) {
            length += 3 + utf8Length(p.contentType());
        }
        for (UserProperty user : p.userProperties()) {
            length += 5 + utf8Length(user.name()) + utf8Length(user.value());
        }
        for (int identifier : p.subscriptionIdentifiers()) {
            length += 1 + varIntSize(identifier);
        }
        return length;
    }

    static int varIntSize(long value) {
        int size = 1;
        while (value >= 128) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4; // with the low surrogate that follows
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
