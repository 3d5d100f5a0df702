package org.eemqtt.api.packet;

/** One topic filter of a SUBSCRIBE with its options (the 5.0 options are false/0 for 3.x). */
public record SubscriptionRequest(String topicFilter, QoS maximumQoS, boolean noLocal, boolean retainAsPublished,
                                  int retainHandling) {
}
