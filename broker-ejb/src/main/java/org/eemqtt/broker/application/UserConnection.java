package org.eemqtt.broker.application;

import java.time.Instant;

/** One live MQTT connection of a user, as the users API reports it; {@code node} is the cluster node holding it. */
public record UserConnection(String clientId, Instant connectedSince, String remoteAddress, String protocol,
                             String node) {
}
