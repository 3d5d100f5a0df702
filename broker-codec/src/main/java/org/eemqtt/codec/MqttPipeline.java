package org.eemqtt.codec;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.AttributeKey;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;

/**
 * Installs the codec in a channel pipeline and holds the per-channel state the codec handlers share.
 *
 * <p>After {@link #install} the transport adds its own last handler. Its {@code channelRead} receives
 * {@link MqttPacket} objects (the CONNECT first) and at most one {@link MqttViolation}; it writes
 * {@link MqttPacket} objects with {@code channel.writeAndFlush(packet)}, and on a violation calls
 * {@link #closeFor(Channel, MqttViolation)}.
 */
public final class MqttPipeline {

    /** 3.1 allows at most 23 characters; Netty applies this limit to 3.1 client identifiers only. */
    static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;

    /** The version of the connection's CONNECT, set by the frame decoder when it has checked the CONNECT. */
    public static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf(MqttPipeline.class, "version");

    /** Set when a successful CONNACK was written: from then on a 5.0 violation is answered with DISCONNECT. */
    static final AttributeKey<Boolean> CONNACK_ACCEPTED =
            AttributeKey.valueOf(MqttPipeline.class, "connAckAccepted");

    /**
     * The attribute Netty's MqttDecoder sets on CONNECT and MqttEncoder reads to choose the wire version (see
     * io.netty.handler.codec.mqtt.MqttCodecUtil, package-private). valueOf returns the same key Netty uses;
     * PipelineEncodeTest breaks if a Netty upgrade renames it.
     */
    static final AttributeKey<io.netty.handler.codec.mqtt.MqttVersion> NETTY_VERSION =
            AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    public static final String FRAME_DECODER = "mqttFrameDecoder";
    public static final String NETTY_DECODER = "mqttDecoder";
    public static final String NETTY_ENCODER = "mqttEncoder";
    public static final String OUTBOUND = "mqttOutbound";
    public static final String INBOUND = "mqttInbound";

    private MqttPipeline() {
    }

    /**
     * Adds the codec handlers at the end of {@code pipeline}: frame decoder, Netty decoder, Netty encoder, the
     * outbound mapper (MqttPacket to Netty) and the inbound mapper (Netty to MqttPacket / MqttViolation).
     *
     * @param maxPacketSize the largest packet accepted, in bytes, fixed header included
     */
    public static void install(ChannelPipeline pipeline, int maxPacketSize) {
        pipeline.addLast(FRAME_DECODER, new MqttFrameDecoder(maxPacketSize));
        pipeline.addLast(NETTY_DECODER, new MqttDecoder(maxPacketSize, MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        pipeline.addLast(NETTY_ENCODER, MqttEncoder.INSTANCE);
        pipeline.addLast(OUTBOUND, new OutboundPacketHandler());
        pipeline.addLast(INBOUND, new InboundPacketHandler());
    }

    /** The connection's protocol version, null before a supported CONNECT arrived. */
    public static MqttVersion version(Channel channel) {
        return channel.attr(VERSION).get();
    }

    /**
     * Ends the connection after a violation: writes the packet MQTT 5.0 asks for (a refusing CONNACK while in
     * CONNECT, a DISCONNECT 0x81/0x82/0x95 after a successful CONNACK; nothing for 3.x, whose servers just close)
     * and closes. Safe to call when the codec already answered.
     */
    public static ChannelFuture closeFor(Channel channel, MqttViolation violation) {
        MqttPacket reply = replyFor(violation, Boolean.TRUE.equals(channel.attr(CONNACK_ACCEPTED).get()));
        if (reply == null) {
            return channel.close();
        }
        return channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    /** The packet to send before closing for {@code violation}, or null to just close. */
    static MqttPacket replyFor(MqttViolation violation, boolean connAckAccepted) {
        if (violation.answered() || violation.version() != MqttVersion.V5) {
            return null;
        }
        return switch (violation.kind()) {
            case MALFORMED_PACKET -> reply(violation, connAckAccepted,
                    ConnectReasonCode.MALFORMED_PACKET, DisconnectReasonCode.MALFORMED_PACKET);
            case PROTOCOL_ERROR -> reply(violation, connAckAccepted,
                    ConnectReasonCode.PROTOCOL_ERROR, DisconnectReasonCode.PROTOCOL_ERROR);
            case PACKET_TOO_LARGE -> reply(violation, connAckAccepted,
                    ConnectReasonCode.PACKET_TOO_LARGE, DisconnectReasonCode.PACKET_TOO_LARGE);
            default -> null;
        };
    }

    private static MqttPacket reply(MqttViolation violation, boolean connAckAccepted, ConnectReasonCode connAck,
                                    DisconnectReasonCode disconnect) {
        if (violation.duringConnect()) {
            return ConnAckPacket.refuse(connAck);
        }
        // MQTT-3.14.0-1: no DISCONNECT before a successful CONNACK; between CONNECT and CONNACK we just close.
        return connAckAccepted ? DisconnectPacket.of(disconnect) : null;
    }
}
