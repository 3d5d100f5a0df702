package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.List;

/**
 * A message on its way to one subscriber: the QoS it gets there, its retain flag and subscription identifiers, and
 * the share group it was chosen for ({@code shared}, null for a non-shared delivery), so that it can go to another
 * member of that group when the session ends before the message is delivered. {@code storeId} names the message in
 * the store when a copy may have been stored for this session (0: none was), so that its state changes reach the
 * store.
 */
record OutboundMessage(Message message, QoS qos, boolean retain, List<Integer> subscriptionIdentifiers,
                       SharedFilter shared, long storeId) {

    OutboundMessage(Message message, QoS qos, boolean retain, List<Integer> subscriptionIdentifiers) {
        this(message, qos, retain, subscriptionIdentifiers, null, 0);
    }

    OutboundMessage(Message message, QoS qos, boolean retain, List<Integer> subscriptionIdentifiers,
                    SharedFilter shared) {
        this(message, qos, retain, subscriptionIdentifiers, shared, 0);
    }

    boolean stored() {
        return storeId != 0 && qos != QoS.AT_MOST_ONCE;
    }

    PublishPacket toPacket(int packetId, boolean dup) {
        return new PublishPacket(message.topic(), qos, retain, dup, packetId, message.payload(),
                (expires() ? message.propertiesAt(System.currentTimeMillis()) : message.properties())
                        .forSubscriber(subscriptionIdentifiers));
    }

    /** MQTT-3.3.2-5: a copy whose expiry passed before onward delivery started is not sent. */
    boolean isExpired() {
        return expires() && message.isExpired(System.currentTimeMillis());
    }

    // Most messages never expire: they skip the clock.
    private boolean expires() {
        return message.expiresAtMillis() != 0;
    }
}
