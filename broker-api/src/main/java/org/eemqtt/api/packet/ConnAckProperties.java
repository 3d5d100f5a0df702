package org.eemqtt.api.packet;

/** The MQTT 5.0 CONNACK properties the broker sends; a null field is absent from the packet. */
public record ConnAckProperties(Long sessionExpiryInterval, Integer receiveMaximum, Integer maximumQoS,
                                Boolean retainAvailable, Long maximumPacketSize, String assignedClientIdentifier,
                                Integer topicAliasMaximum, String reasonString,
                                Boolean wildcardSubscriptionAvailable, Boolean subscriptionIdentifiersAvailable,
                                Boolean sharedSubscriptionAvailable, Integer serverKeepAlive,
                                String responseInformation, String authenticationMethod,
                                byte[] authenticationData) {

    public static final ConnAckProperties NONE = new ConnAckProperties(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    public ConnAckProperties withReasonString(String reason) {
        return new ConnAckProperties(sessionExpiryInterval, receiveMaximum, maximumQoS, retainAvailable,
                maximumPacketSize, assignedClientIdentifier, topicAliasMaximum, reason,
                wildcardSubscriptionAvailable, subscriptionIdentifiersAvailable, sharedSubscriptionAvailable,
                serverKeepAlive, responseInformation, authenticationMethod, authenticationData);
    }

    /** The same properties with Authentication Method and Data (enhanced authentication's last step). */
    public ConnAckProperties withAuthentication(String method, byte[] data) {
        return new ConnAckProperties(sessionExpiryInterval, receiveMaximum, maximumQoS, retainAvailable,
                maximumPacketSize, assignedClientIdentifier, topicAliasMaximum, reasonString,
                wildcardSubscriptionAvailable, subscriptionIdentifiersAvailable, sharedSubscriptionAvailable,
                serverKeepAlive, responseInformation, method, data);
    }
}
