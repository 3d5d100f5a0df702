package org.eemqtt.api.packet;

/** The will message of a CONNECT. */
public record Will(String topic, byte[] payload, QoS qos, boolean retain, long delayIntervalSeconds,
                   PublishProperties properties) {
}
