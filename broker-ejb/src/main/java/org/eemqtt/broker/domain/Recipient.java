package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;

import java.util.List;

/**
 * One session's copy of a message, as the store keeps it: the QoS it gets there, its retain flag, its subscription
 * identifiers, and the share group filter ({@code $share/...}) it was chosen for, or null.
 */
public record Recipient(String clientId, QoS qos, boolean retain, List<Integer> subscriptionIdentifiers,
                        String sharedFilter) {

    public Recipient {
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
    }
}
