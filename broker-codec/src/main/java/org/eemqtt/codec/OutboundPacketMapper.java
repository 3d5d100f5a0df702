package org.eemqtt.codec;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnAckProperties;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PingRespPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;

import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.AUTHENTICATION_DATA;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.AUTHENTICATION_METHOD;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.MAXIMUM_QOS;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REASON_STRING;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.RESPONSE_INFORMATION;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.RETAIN_AVAILABLE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SERVER_REFERENCE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE;

/**
 * Maps the broker's {@link MqttPacket} to the Netty message MqttEncoder writes, in the form the connection's
 * version allows: 3.x gets no properties, no reason strings, return codes instead of reason codes, no DISCONNECT.
 */
public final class OutboundPacketMapper {

    private OutboundPacketMapper() {
    }

    /**
     * @param version the connection's version; null (nothing negotiated yet) is treated as 3.1.1
     * @return the Netty message, or null when the packet does not exist in {@code version} (DISCONNECT and AUTH
     *         to a 3.x client): the caller drops it
     */
    public static MqttMessage map(MqttPacket packet, MqttVersion version) {
        boolean v5 = version == MqttVersion.V5;
        if (packet instanceof ConnAckPacket c) {
            return connAck(c, version);
        } else if (packet instanceof PublishPacket p) {
            return publish(p, v5);
        } else if (packet instanceof PubAckPacket a) {
            return reply(MqttMessageType.PUBACK, a.packetId(), a.reasonCode().code(), a.reasonString(), v5);
        } else if (packet instanceof PubRecPacket r) {
            return reply(MqttMessageType.PUBREC, r.packetId(), r.reasonCode().code(), r.reasonString(), v5);
        } else if (packet instanceof PubRelPacket r) {
            return reply(MqttMessageType.PUBREL, r.packetId(), r.reasonCode().code(), r.reasonString(), v5);
        } else if (packet instanceof PubCompPacket c) {
            return reply(MqttMessageType.PUBCOMP, c.packetId(), c.reasonCode().code(), c.reasonString(), v5);
        } else if (packet instanceof SubAckPacket s) {
            return subAck(s, v5);
        } else if (packet instanceof UnsubAckPacket u) {
            return unsubAck(u, v5);
        } else if (packet instanceof PingRespPacket) {
            return MqttMessage.PINGRESP;
        } else if (packet instanceof PingReqPacket) {
            return MqttMessage.PINGREQ;
        } else if (packet instanceof DisconnectPacket d) {
            return v5 ? disconnect(d) : null;
        } else if (packet instanceof AuthPacket a) {
            return v5 ? auth(a) : null;
        }
        // CONNECT, SUBSCRIBE, UNSUBSCRIBE: client-to-server only.
        throw new IllegalArgumentException("the broker does not send " + packet.getClass().getSimpleName());
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
        // Remaining length 0: MqttEncoder computes the real one.
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static MqttMessage connAck(ConnAckPacket c, MqttVersion version) {
        if (version != MqttVersion.V5) {
            // 3.1 has no session-present flag; 3.1.1 requires it 0 on refusal (MQTT-3.2.2-4).
            boolean sessionPresent = version != MqttVersion.V3_1 && c.sessionPresent() && !c.reasonCode().isError();
            return new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                    new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) c.reasonCode().v3ReturnCode()),
                            sessionPresent));
        }
        ConnAckProperties cp = c.properties();
        MqttProperties p = new MqttProperties();
        Properties.putUnsigned(p, SESSION_EXPIRY_INTERVAL, cp.sessionExpiryInterval());
        Properties.put(p, RECEIVE_MAXIMUM, cp.receiveMaximum());
        Properties.put(p, MAXIMUM_QOS, cp.maximumQoS());
        Properties.put(p, RETAIN_AVAILABLE, cp.retainAvailable());
        Properties.putUnsigned(p, MAXIMUM_PACKET_SIZE, cp.maximumPacketSize());
        Properties.put(p, ASSIGNED_CLIENT_IDENTIFIER, cp.assignedClientIdentifier());
        Properties.put(p, TOPIC_ALIAS_MAXIMUM, cp.topicAliasMaximum());
        Properties.put(p, REASON_STRING, cp.reasonString());
        Properties.put(p, WILDCARD_SUBSCRIPTION_AVAILABLE, cp.wildcardSubscriptionAvailable());
        Properties.put(p, SUBSCRIPTION_IDENTIFIER_AVAILABLE, cp.subscriptionIdentifiersAvailable());
        Properties.put(p, SHARED_SUBSCRIPTION_AVAILABLE, cp.sharedSubscriptionAvailable());
        Properties.put(p, SERVER_KEEP_ALIVE, cp.serverKeepAlive());
        Properties.put(p, RESPONSE_INFORMATION, cp.responseInformation());
        Properties.put(p, AUTHENTICATION_METHOD, cp.authenticationMethod());
        Properties.put(p, AUTHENTICATION_DATA, cp.authenticationData());
        boolean sessionPresent = c.sessionPresent() && !c.reasonCode().isError(); // MQTT-3.2.2-6
        return new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) c.reasonCode().code()),
                        sessionPresent, p));
    }

    private static MqttPublishMessage publish(PublishPacket p, boolean v5) {
        MqttQoS qos = MqttQoS.valueOf(p.qos().value());
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, p.dup(), qos, p.retain(), 0);
        MqttProperties props = v5 ? Properties.publish(p.properties()) : MqttProperties.NO_PROPERTIES;
        // wrappedBuffer shares the array: the packet may go to many subscribers, none of which modifies it.
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(p.topic(), p.packetId(), props),
                Unpooled.wrappedBuffer(p.payload()));
    }

    private static MqttMessage reply(MqttMessageType type, int packetId, int code, String reasonString,
                                     boolean v5) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttPubReplyMessageVariableHeader header;
        if (v5) {
            MqttProperties p = new MqttProperties();
            Properties.put(p, REASON_STRING, reasonString);
            header = new MqttPubReplyMessageVariableHeader(packetId, (byte) code, p);
        } else {
            header = new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES);
        }
        return new MqttMessage(header(type, qos), header);
    }

    private static MqttSubAckMessage subAck(SubAckPacket s, boolean v5) {
        int[] codes = new int[s.reasonCodes().size()];
        for (int i = 0; i < codes.length; i++) {
            SubAckReasonCode r = s.reasonCodes().get(i);
            codes[i] = v5 || !r.isError() ? r.code() : 0x80; // 3.x knows only 0x80 as failure
        }
        MqttProperties p = new MqttProperties();
        if (v5) {
            Properties.put(p, REASON_STRING, s.reasonString());
        }
        return new MqttSubAckMessage(header(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(s.packetId(), p), new MqttSubAckPayload(codes));
    }

    private static MqttUnsubAckMessage unsubAck(UnsubAckPacket u, boolean v5) {
        MqttFixedHeader header = header(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE);
        if (!v5) {
            return new MqttUnsubAckMessage(header, MqttMessageIdVariableHeader.from(u.packetId()));
        }
        short[] codes = new short[u.reasonCodes().size()];
        for (int i = 0; i < codes.length; i++) {
            UnsubAckReasonCode r = u.reasonCodes().get(i);
            codes[i] = (short) r.code();
        }
        MqttProperties p = new MqttProperties();
        Properties.put(p, REASON_STRING, u.reasonString());
        return new MqttUnsubAckMessage(header, new MqttMessageIdAndPropertiesVariableHeader(u.packetId(), p),
                new MqttUnsubAckPayload(codes));
    }

    private static MqttMessage disconnect(DisconnectPacket d) {
        MqttProperties p = new MqttProperties();
        Properties.putUnsigned(p, SESSION_EXPIRY_INTERVAL, d.sessionExpiryInterval());
        Properties.put(p, REASON_STRING, d.reasonString());
        Properties.put(p, SERVER_REFERENCE, d.serverReference());
        return new MqttMessage(header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) d.reasonCode().code(), p));
    }

    private static MqttMessage auth(AuthPacket a) {
        MqttProperties p = new MqttProperties();
        Properties.put(p, AUTHENTICATION_METHOD, a.authenticationMethod());
        Properties.put(p, AUTHENTICATION_DATA, a.authenticationData());
        Properties.put(p, REASON_STRING, a.reasonString());
        return new MqttMessage(header(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) a.reasonCode().code(), p));
    }
}
