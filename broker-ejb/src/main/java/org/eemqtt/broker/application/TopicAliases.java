package org.eemqtt.broker.application;

import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;

import java.util.HashMap;
import java.util.Map;

/**
 * The MQTT 5.0 topic aliases of one network connection, in both directions (5.0 3.3.2.3.4). Aliases live and die
 * with the connection (MQTT-3.3.2-7), so a new connection starts with none.
 */
final class TopicAliases {

    /** What an inbound PUBLISH's topic resolved to: the topic, or why it could not be resolved. */
    record Resolved(String topic, String error, boolean aliasInvalid) {
    }

    private static final int SHORTEST_ALIASED_TOPIC = 3;

    private final int inboundMaximum;
    private final String[] inbound;
    private final int outboundMaximum;
    private final Map<String, Integer> outbound;
    private final String[] outboundTopics;
    private int nextOutbound = 1;

    /**
     * @param inboundMaximum  our Topic Alias Maximum announced in CONNACK
     * @param outboundMaximum the client's Topic Alias Maximum from CONNECT
     */
    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inboundMaximum = inboundMaximum;
        this.inbound = new String[inboundMaximum + 1];
        this.outboundMaximum = outboundMaximum;
        this.outbound = outboundMaximum == 0 ? Map.of() : new HashMap<>();
        this.outboundTopics = new String[outboundMaximum + 1];
    }

    /**
     * The topic of an inbound PUBLISH: its own (recording its alias, if any) or the one its alias stands for.
     * Called from the connection's one transport thread.
     */
    Resolved resolve(String topic, Integer alias) {
        if (alias == null) {
            return topic.isEmpty()
                    ? new Resolved(null, "PUBLISH with an empty topic and no topic alias", false) // MQTT-3.3.2-1
                    : new Resolved(topic, null, false);
        }
        if (alias == 0 || alias > inboundMaximum) {
            // MQTT-3.3.2-8 / -9: 0 or above our Topic Alias Maximum
            return new Resolved(null, "topic alias " + alias + " outside 1.." + inboundMaximum, true);
        }
        if (topic.isEmpty()) {
            String known = inbound[alias];
            return known == null
                    ? new Resolved(null, "topic alias " + alias + " used before it was set", false)
                    : new Resolved(known, null, false);
        }
        inbound[alias] = topic;
        return new Resolved(topic, null, false);
    }

    /**
     * The packet to send for {@code packet}, with a topic alias when the client accepts aliases and the result stays
     * within {@code maximumPacketSize}. Callers send in the order they call (the session's monitor orders them).
     */
    synchronized PublishPacket apply(PublishPacket packet, long maximumPacketSize) {
        String topic = packet.topic();
        if (outboundMaximum == 0 || PublishSize.utf8Length(topic) <= SHORTEST_ALIASED_TOPIC) {
            return packet; // an alias (3 bytes) would not pay for itself
        }
        Integer alias = outbound.get(topic);
        if (alias != null) {
            return with(packet, "", alias); // smaller than the packet, which fitted the client's limit
        }
        alias = nextOutbound;
        PublishPacket aliased = with(packet, topic, alias);
        if (PublishSize.of(aliased, true) > maximumPacketSize) {
            return packet;
        }
        // assign in turn: once all are taken, the oldest mapping makes room
        String previous = outboundTopics[alias];
        if (previous != null) {
            outbound.remove(previous);
        }
        outboundTopics[alias] = topic;
        outbound.put(topic, alias);
        nextOutbound = alias == outboundMaximum ? 1 : alias + 1;
        return aliased;
    }

    private static PublishPacket with(PublishPacket p, String topic, int alias) {
        PublishProperties q = p.properties();
        return new PublishPacket(topic, p.qos(), p.retain(), p.dup(), p.packetId(), p.payload(),
                new PublishProperties(q.payloadFormatIndicator(), q.messageExpiryInterval(), alias,
                        q.responseTopic(), q.correlationData(), q.userProperties(), q.subscriptionIdentifiers(),
                        q.contentType()));
    }
}
