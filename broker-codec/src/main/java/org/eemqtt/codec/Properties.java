package org.eemqtt.codec;

import io.netty.handler.codec.mqtt.MqttProperties;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.UserProperty;

import java.util.ArrayList;
import java.util.List;

import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.CONTENT_TYPE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.CORRELATION_DATA;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.RESPONSE_TOPIC;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.TOPIC_ALIAS;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.USER_PROPERTY;

/** Reading and writing Netty {@link MqttProperties} in terms of the broker model's types. */
final class Properties {

    private Properties() {
    }

    static Integer integer(MqttProperties props, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    /** Four-byte integers arrive as signed ints; MQTT means them unsigned (e.g. 0xFFFFFFFF = never expire). */
    static Long unsigned(MqttProperties props, MqttProperties.MqttPropertyType type) {
        Integer v = integer(props, type);
        return v == null ? null : Integer.toUnsignedLong(v);
    }

    static String string(MqttProperties props, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }

    static byte[] binary(MqttProperties props, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : ((byte[]) p.value()).clone();
    }

    /** 0/1 byte properties (PacketValidator refused other values). */
    static Boolean flag(MqttProperties props, MqttProperties.MqttPropertyType type) {
        Integer v = integer(props, type);
        return v == null ? null : v == 1;
    }

    static List<UserProperty> userProperties(MqttProperties props) {
        List<? extends MqttProperties.MqttProperty> list = props.getProperties(USER_PROPERTY.value());
        if (list.isEmpty()) {
            return List.of();
        }
        List<UserProperty> result = new ArrayList<>(list.size());
        for (MqttProperties.MqttProperty<?> p : list) {
            MqttProperties.StringPair pair = (MqttProperties.StringPair) p.value();
            result.add(new UserProperty(pair.key, pair.value));
        }
        return result;
    }

    static PublishProperties publish(MqttProperties props) {
        List<? extends MqttProperties.MqttProperty> ids = props.getProperties(SUBSCRIPTION_IDENTIFIER.value());
        List<Integer> identifiers = new ArrayList<>(ids.size());
        for (MqttProperties.MqttProperty<?> p : ids) {
            identifiers.add((Integer) p.value());
        }
        return new PublishProperties(integer(props, PAYLOAD_FORMAT_INDICATOR),
                unsigned(props, PUBLICATION_EXPIRY_INTERVAL), integer(props, TOPIC_ALIAS),
                string(props, RESPONSE_TOPIC), binary(props, CORRELATION_DATA), userProperties(props),
                identifiers, string(props, CONTENT_TYPE));
    }

    // ---- writing ----

    static void put(MqttProperties props, MqttProperties.MqttPropertyType type, Integer value) {
        if (value != null) {
            props.add(new MqttProperties.IntegerProperty(type.value(), value));
        }
    }

    /** Writes a four-byte unsigned value; the cast keeps the bit pattern Netty writes with writeInt. */
    static void putUnsigned(MqttProperties props, MqttProperties.MqttPropertyType type, Long value) {
        if (value != null) {
            props.add(new MqttProperties.IntegerProperty(type.value(), (int) value.longValue()));
        }
    }

    static void put(MqttProperties props, MqttProperties.MqttPropertyType type, Boolean value) {
        if (value != null) {
            props.add(new MqttProperties.IntegerProperty(type.value(), value ? 1 : 0));
        }
    }

    static void put(MqttProperties props, MqttProperties.MqttPropertyType type, String value) {
        if (value != null) {
            props.add(new MqttProperties.StringProperty(type.value(), value));
        }
    }

    static void put(MqttProperties props, MqttProperties.MqttPropertyType type, byte[] value) {
        if (value != null) {
            props.add(new MqttProperties.BinaryProperty(type.value(), value.clone()));
        }
    }

    static void putUserProperties(MqttProperties props, List<UserProperty> userProperties) {
        for (UserProperty u : userProperties) {
            props.add(new MqttProperties.UserProperty(u.name(), u.value()));
        }
    }

    static MqttProperties publish(PublishProperties p) {
        MqttProperties props = new MqttProperties();
        put(props, PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        putUnsigned(props, PUBLICATION_EXPIRY_INTERVAL, p.messageExpiryInterval());
        put(props, TOPIC_ALIAS, p.topicAlias());
        put(props, RESPONSE_TOPIC, p.responseTopic());
        put(props, CORRELATION_DATA, p.correlationData());
        putUserProperties(props, p.userProperties());
        for (Integer id : p.subscriptionIdentifiers()) {
            props.add(new MqttProperties.IntegerProperty(SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        put(props, CONTENT_TYPE, p.contentType());
        return props;
    }
}
