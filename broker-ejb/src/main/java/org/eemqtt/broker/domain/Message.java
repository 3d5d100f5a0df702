package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;

/** An application message as the broker routes it, independent of the packet and connection it came with. */
public record Message(String topic, byte[] payload, QoS qos, boolean retain, PublishProperties properties,
                      String publisherClientId) {
}
