package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.QoS;

/** One client's subscription to one topic filter, with its options. {@code identifier} is 0 when none was given. */
public record Subscription(String clientId, String topicFilter, QoS maximumQoS, boolean noLocal,
                           boolean retainAsPublished, int retainHandling, int identifier) {
}
