package org.eemqtt.codec;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;
import org.eemqtt.api.packet.PingReqPacket;
import org.eemqtt.api.packet.PubAckPacket;
import org.eemqtt.api.packet.PubAckReasonCode;
import org.eemqtt.api.packet.PubCompPacket;
import org.eemqtt.api.packet.PubCompReasonCode;
import org.eemqtt.api.packet.PubRecPacket;
import org.eemqtt.api.packet.PubRecReasonCode;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.eemqtt.api.packet.Will;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.AUTHENTICATION_DATA;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.AUTHENTICATION_METHOD;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REASON_STRING;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REQUEST_PROBLEM_INFORMATION;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.REQUEST_RESPONSE_INFORMATION;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SERVER_REFERENCE;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM;
import static io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType.WILL_DELAY_INTERVAL;
import static org.eemqtt.codec.MalformedPacketException.malformed;
import static org.eemqtt.codec.MalformedPacketException.protocolError;

/**
 * Maps a successfully decoded Netty {@link MqttMessage} from a client to the broker's {@link MqttPacket}. The rules
 * Netty leaves out were checked on the raw bytes by {@link PacketValidator}; what remains here is what only shows
 * after Netty's decoding (a second CONNECT's protocol, Netty's will topic limit, server-only packet types). Does
 * not release the message: the caller does.
 */
public final class InboundPacketMapper {

    private InboundPacketMapper() {
    }

    /**
     * @param version the connection's version; for CONNECT it is taken from the message itself
     * @throws MalformedPacketException when the packet breaks a rule of {@code version}
     */
    public static MqttPacket map(MqttMessage message, MqttVersion version) {
        return switch (message.fixedHeader().messageType()) {
            case CONNECT -> connect((MqttConnectMessage) message);
            case PUBLISH -> publish((MqttPublishMessage) message, version);
            case PUBACK -> {
                Reply r = reply(message, version);
                yield new PubAckPacket(r.packetId, code(r.code, PubAckReasonCode::of, "PUBACK"), r.reasonString);
            }
            case PUBREC -> {
                Reply r = reply(message, version);
                yield new PubRecPacket(r.packetId, code(r.code, PubRecReasonCode::of, "PUBREC"), r.reasonString);
            }
            case PUBREL -> {
                Reply r = reply(message, version);
                yield new PubRelPacket(r.packetId, code(r.code, PubRelReasonCode::of, "PUBREL"), r.reasonString);
            }
            case PUBCOMP -> {
                Reply r = reply(message, version);
                yield new PubCompPacket(r.packetId, code(r.code, PubCompReasonCode::of, "PUBCOMP"),
                        r.reasonString);
            }
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message, version);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message, version);
            case PINGREQ -> PingReqPacket.INSTANCE;
            case DISCONNECT -> disconnect(message, version);
            case AUTH -> auth(message);
            // CONNACK, SUBACK, UNSUBACK, PINGRESP: only a server sends these.
            default -> throw protocolError(message.fixedHeader().messageType() + " is not sent by clients");
        };
    }

    private static ConnectPacket connect(MqttConnectMessage message) {
        MqttConnectVariableHeader header = message.variableHeader();
        MqttConnectPayload payload = message.payload();
        MqttVersion version = MqttVersion.of(header.name(), header.version());
        if (version == null) {
            throw malformed("CONNECT protocol " + header.name() + "/" + header.version());
        }
        boolean v5 = version.isV5();
        if (payload.clientIdentifier() == null) {
            throw malformed("CONNECT without client identifier");
        }
        Will will = null;
        if (header.isWillFlag()) {
            if (payload.willTopic() == null) {
                throw malformed("CONNECT will topic longer than Netty's 32767 bytes");
            }
            MqttProperties wp = payload.willProperties();
            Long delay = v5 ? Properties.unsigned(wp, WILL_DELAY_INTERVAL) : null;
            will = new Will(payload.willTopic(), payload.willMessageInBytes(), QoS.of(header.willQos()),
                    header.isWillRetain(), delay == null ? 0 : delay,
                    v5 ? Properties.publish(wp) : PublishProperties.NONE);
        }
        String username = header.hasUserName() ? payload.userName() : null;
        byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
        if (!v5) {
            // 3.x semantics expressed with the 5.0 fields (see ConnectPacket).
            return new ConnectPacket(version, payload.clientIdentifier(), header.isCleanSession(),
                    header.keepAliveTimeSeconds(), username, password, will,
                    header.isCleanSession() ? 0 : ConnectPacket.SESSION_NEVER_EXPIRES,
                    ConnectPacket.DEFAULT_RECEIVE_MAXIMUM, ConnectPacket.UNLIMITED_PACKET_SIZE, 0, false, true,
                    List.of(), null, null);
        }
        MqttProperties p = header.properties();
        Long sessionExpiry = Properties.unsigned(p, SESSION_EXPIRY_INTERVAL);
        Integer receiveMaximum = Properties.integer(p, RECEIVE_MAXIMUM);
        Long maximumPacketSize = Properties.unsigned(p, MAXIMUM_PACKET_SIZE);
        Integer topicAliasMaximum = Properties.integer(p, TOPIC_ALIAS_MAXIMUM);
        Boolean requestResponse = Properties.flag(p, REQUEST_RESPONSE_INFORMATION);
        Boolean requestProblem = Properties.flag(p, REQUEST_PROBLEM_INFORMATION);
        String authenticationMethod = Properties.string(p, AUTHENTICATION_METHOD);
        byte[] authenticationData = Properties.binary(p, AUTHENTICATION_DATA);
        return new ConnectPacket(version, payload.clientIdentifier(), header.isCleanSession(),
                header.keepAliveTimeSeconds(), username, password, will,
                sessionExpiry == null ? 0 : sessionExpiry,
                receiveMaximum == null ? ConnectPacket.DEFAULT_RECEIVE_MAXIMUM : receiveMaximum,
                maximumPacketSize == null ? ConnectPacket.UNLIMITED_PACKET_SIZE : maximumPacketSize,
                topicAliasMaximum == null ? 0 : topicAliasMaximum,
                Boolean.TRUE.equals(requestResponse), requestProblem == null || requestProblem,
                Properties.userProperties(p), authenticationMethod, authenticationData);
    }

    private static PublishPacket publish(MqttPublishMessage message, MqttVersion version) {
        QoS qos = QoS.of(message.fixedHeader().qosLevel().value());
        int packetId = qos == QoS.AT_MOST_ONCE ? 0 : message.variableHeader().packetId();
        byte[] payload = ByteBufUtil.getBytes(message.payload());
        PublishProperties properties = version == MqttVersion.V5
                ? Properties.publish(message.variableHeader().properties()) : PublishProperties.NONE;
        // A Topic Alias (0 included) is checked by the broker against its Topic Alias Maximum (0x94).
        return new PublishPacket(message.variableHeader().topicName(), qos, message.fixedHeader().isRetain(),
                message.fixedHeader().isDup(), packetId, payload, properties);
    }

    private record Reply(int packetId, int code, String reasonString) {
    }

    private static Reply reply(MqttMessage message, MqttVersion version) {
        MqttMessageIdVariableHeader header = (MqttMessageIdVariableHeader) message.variableHeader();
        if (version != MqttVersion.V5) {
            return new Reply(header.messageId(), 0, null); // PacketValidator saw exactly the packet id
        }
        if (header instanceof MqttPubReplyMessageVariableHeader r) {
            return new Reply(r.messageId(), r.reasonCode() & 0xFF, Properties.string(r.properties(), REASON_STRING));
        }
        return new Reply(header.messageId(), 0, null);
    }

    private static <T> T code(int code, IntFunction<T> of, String packet) {
        T reason = of.apply(code);
        if (reason == null) { // PacketValidator refuses undefined reason codes before Netty decodes
            throw new IllegalStateException(packet + " reason code 0x" + Integer.toHexString(code));
        }
        return reason;
    }

    private static SubscribePacket subscribe(MqttSubscribeMessage message, MqttVersion version) {
        List<MqttTopicSubscription> topics = message.payload().topicSubscriptions();
        boolean v5 = version == MqttVersion.V5;
        List<SubscriptionRequest> requests = new ArrayList<>(topics.size());
        for (MqttTopicSubscription t : topics) {
            MqttSubscriptionOption o = t.option();
            int retainHandling = o.retainHandling().value();
            requests.add(new SubscriptionRequest(t.topicFilter(), QoS.of(o.qos().value()), o.isNoLocal(),
                    o.isRetainAsPublished(), retainHandling));
        }
        MqttProperties p = message.idAndPropertiesVariableHeader().properties();
        Integer subscriptionId = v5 ? Properties.integer(p, SUBSCRIPTION_IDENTIFIER) : null;
        return new SubscribePacket(message.variableHeader().messageId(), requests, subscriptionId,
                v5 ? Properties.userProperties(p) : List.of());
    }

    private static UnsubscribePacket unsubscribe(MqttUnsubscribeMessage message, MqttVersion version) {
        List<String> topics = message.payload().topics();
        List<org.eemqtt.api.packet.UserProperty> userProperties = version == MqttVersion.V5
                ? Properties.userProperties(message.idAndPropertiesVariableHeader().properties()) : List.of();
        return new UnsubscribePacket(message.variableHeader().messageId(), topics, userProperties);
    }

    private static DisconnectPacket disconnect(MqttMessage message, MqttVersion version) {
        if (version != MqttVersion.V5) {
            return DisconnectPacket.of(DisconnectReasonCode.NORMAL_DISCONNECTION);
        }
        if (!(message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h)) {
            return DisconnectPacket.of(DisconnectReasonCode.NORMAL_DISCONNECTION);
        }
        MqttProperties p = h.properties();
        return new DisconnectPacket(code(h.reasonCode() & 0xFF, DisconnectReasonCode::of, "DISCONNECT"),
                Properties.unsigned(p, SESSION_EXPIRY_INTERVAL), Properties.string(p, REASON_STRING),
                Properties.string(p, SERVER_REFERENCE));
    }

    private static AuthPacket auth(MqttMessage message) {
        if (!(message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h)) {
            return new AuthPacket(AuthReasonCode.SUCCESS, null, null, null);
        }
        MqttProperties p = h.properties();
        return new AuthPacket(code(h.reasonCode() & 0xFF, AuthReasonCode::of, "AUTH"),
                Properties.string(p, AUTHENTICATION_METHOD), Properties.binary(p, AUTHENTICATION_DATA),
                Properties.string(p, REASON_STRING));
    }
}
