package org.eemqtt.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;

/**
 * Turns {@link MqttPacket} writes into Netty messages for MqttEncoder; other messages (raw ByteBufs) pass.
 * A packet that does not exist in the connection's version (DISCONNECT to 3.x) is dropped and its promise
 * succeeds, so the caller's close-after-write still happens.
 */
public final class OutboundPacketHandler extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.write(msg, promise);
            return;
        }
        MqttVersion version = MqttPipeline.version(ctx.channel());
        MqttMessage message;
        try {
            message = OutboundPacketMapper.map(packet, version);
        } catch (RuntimeException e) {
            promise.setFailure(e);
            return;
        }
        if (message == null) {
            promise.setSuccess();
            return;
        }
        if (packet instanceof ConnAckPacket c && !c.reasonCode().isError()) {
            ctx.channel().attr(MqttPipeline.CONNACK_ACCEPTED).set(Boolean.TRUE);
        }
        syncNettyVersion(ctx, version);
        ctx.write(message, promise);
    }

    /**
     * MqttEncoder picks the wire format from Netty's own channel attribute, which MqttDecoder sets from the
     * latest CONNECT it decoded (a client's second CONNECT would change it) and which is unset when the CONNECT
     * itself failed. Our version is the one of the first CONNECT: make the encoder use it.
     */
    private static void syncNettyVersion(ChannelHandlerContext ctx, MqttVersion version) {
        io.netty.handler.codec.mqtt.MqttVersion netty = version == null ? null : switch (version) {
            case V3_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1;
            case V3_1_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1;
            case V5 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
        };
        if (netty != null && ctx.channel().attr(MqttPipeline.NETTY_VERSION).get() != netty) {
            ctx.channel().attr(MqttPipeline.NETTY_VERSION).set(netty);
        }
    }
}
