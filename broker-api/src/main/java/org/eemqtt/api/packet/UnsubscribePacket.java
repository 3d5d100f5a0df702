package org.eemqtt.api.packet;

import java.util.List;

/** UNSUBSCRIBE. */
public record UnsubscribePacket(int packetId, List<String> topicFilters, List<UserProperty> userProperties)
        implements MqttPacket {

    public UnsubscribePacket {
        topicFilters = List.copyOf(topicFilters);
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }
}
