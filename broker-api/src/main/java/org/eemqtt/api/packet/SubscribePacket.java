package org.eemqtt.api.packet;

import java.util.List;

/** SUBSCRIBE. {@code subscriptionIdentifier} is null when absent. */
public record SubscribePacket(int packetId, List<SubscriptionRequest> subscriptions, Integer subscriptionIdentifier,
                              List<UserProperty> userProperties) implements MqttPacket {

    public SubscribePacket {
        subscriptions = List.copyOf(subscriptions);
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }
}
