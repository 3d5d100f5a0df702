package org.eemqtt.api.packet;

/** An MQTT 5.0 User Property: a name/value pair that may repeat. */
public record UserProperty(String name, String value) {
}
