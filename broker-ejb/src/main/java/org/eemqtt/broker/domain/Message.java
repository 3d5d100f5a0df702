package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;

/**
 * An application message as the broker routes it, independent of the packet and connection it came with.
 * {@code expiresAtMillis} is the wall-clock time its MQTT 5.0 Message Expiry Interval ends, or 0 when it never
 * expires. {@code clusterId} names one publication across the nodes of a cluster (the node it was published on
 * and a number), so that a node that receives it twice while a session moves to it delivers it once; null on one
 * node and for messages read back from the store.
 */
public record Message(String topic, byte[] payload, QoS qos, boolean retain, PublishProperties properties,
                      String publisherClientId, long expiresAtMillis, String clusterId) {

    public Message(String topic, byte[] payload, QoS qos, boolean retain, PublishProperties properties,
                   String publisherClientId, long expiresAtMillis) {
        this(topic, payload, qos, retain, properties, publisherClientId, expiresAtMillis, null);
    }

    /** A message accepted now: its expiry runs from this moment (MQTT 5.0 3.3.2.3.3). */
    public Message(String topic, byte[] payload, QoS qos, boolean retain, PublishProperties properties,
                   String publisherClientId) {
        this(topic, payload, qos, retain, properties, publisherClientId,
                properties.messageExpiryInterval() == null ? 0
                        : System.currentTimeMillis() + properties.messageExpiryInterval() * 1000);
    }

    /** This message under the cluster-wide name {@code id}. */
    public Message withClusterId(String id) {
        return new Message(topic, payload, qos, retain, properties, publisherClientId, expiresAtMillis, id);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** The properties to forward at {@code nowMillis}: the expiry interval lowered by the time spent waiting. */
    public PublishProperties propertiesAt(long nowMillis) {
        if (expiresAtMillis == 0) {
            return properties;
        }
        long remainingSeconds = Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
        return properties.withMessageExpiryInterval(remainingSeconds);
    }
}
