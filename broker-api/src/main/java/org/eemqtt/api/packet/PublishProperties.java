package org.eemqtt.api.packet;

import java.util.List;

/** The MQTT 5.0 PUBLISH (and will) properties; a null field is absent. */
public record PublishProperties(Integer payloadFormatIndicator, Long messageExpiryInterval, Integer topicAlias,
                                String responseTopic, byte[] correlationData, List<UserProperty> userProperties,
                                List<Integer> subscriptionIdentifiers, String contentType) {

    public static final PublishProperties NONE = new PublishProperties(null, null, null, null, null, List.of(),
            List.of(), null);

    public PublishProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
        subscriptionIdentifiers = subscriptionIdentifiers == null ? List.of() : List.copyOf(subscriptionIdentifiers);
    }

    /** The same properties with another Message Expiry Interval (seconds). */
    public PublishProperties withMessageExpiryInterval(Long seconds) {
        return new PublishProperties(payloadFormatIndicator, seconds, topicAlias, responseTopic, correlationData,
                userProperties, subscriptionIdentifiers, contentType);
    }

    /** The same properties as forwarded to a subscriber: its subscription identifiers, no topic alias. */
    public PublishProperties forSubscriber(List<Integer> identifiers) {
        if (topicAlias == null && identifiers.equals(subscriptionIdentifiers)) {
            return this;
        }
        return new PublishProperties(payloadFormatIndicator, messageExpiryInterval, null, responseTopic,
                correlationData, userProperties, identifiers, contentType);
    }
}
