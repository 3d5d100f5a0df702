package org.eemqtt.codec;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.util.ReferenceCountUtil;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.MqttVersion;

/**
 * Turns Netty's decoded {@link MqttMessage}s into {@link MqttPacket}s for the transport's last handler, and
 * decode failures (Netty's or the mapper's checks) into a single {@link MqttViolation}. Violations coming from
 * {@link MqttFrameDecoder} pass through; after any violation further messages are dropped.
 */
public final class InboundPacketHandler extends ChannelInboundHandlerAdapter {

    private boolean connectMapped;
    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttViolation) {
            failed = true;
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof MqttMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!failed) {
                MqttViolation violation = read(ctx, message);
                if (violation != null) {
                    failed = true;
                    ctx.fireChannelRead(violation);
                }
            }
        } finally {
            ReferenceCountUtil.release(message); // PUBLISH payloads were copied out
        }
    }

    private MqttViolation read(ChannelHandlerContext ctx, MqttMessage message) {
        MqttVersion version = MqttPipeline.version(ctx.channel());
        if (message.decoderResult().isFailure()) {
            return decodeFailure(ctx, message, version);
        }
        MqttPacket packet;
        try {
            packet = InboundPacketMapper.map(message, version);
        } catch (MalformedPacketException e) {
            return new MqttViolation(e.kind(), e.getMessage(), version, !connectMapped, false);
        } catch (RuntimeException e) {
            // e.g. QoS.of(3) from Netty's lenient parsing: still bad input, not a codec bug to propagate.
            return new MqttViolation(MqttViolation.Kind.MALFORMED_PACKET,
                    message.fixedHeader().messageType() + ": " + e, version, !connectMapped, false);
        }
        connectMapped |= message.fixedHeader().messageType() == MqttMessageType.CONNECT;
        ctx.fireChannelRead(packet);
        return null;
    }

    private MqttViolation decodeFailure(ChannelHandlerContext ctx, MqttMessage message, MqttVersion version) {
        Throwable cause = message.decoderResult().cause();
        String type = message.fixedHeader() == null ? "packet" : message.fixedHeader().messageType().toString();
        if (cause instanceof MqttIdentifierRejectedException && !connectMapped) {
            // No broker session yet, so the codec answers itself (3.x return code 2, 5.0 reason 0x85).
            ctx.channel().writeAndFlush(ConnAckPacket.refuse(ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID))
                    .addListener(ChannelFutureListener.CLOSE);
            return new MqttViolation(MqttViolation.Kind.CLIENT_IDENTIFIER_REJECTED, String.valueOf(cause.getMessage()),
                    version, true, true);
        }
        MqttViolation.Kind kind = cause instanceof TooLongFrameException
                ? MqttViolation.Kind.PACKET_TOO_LARGE : MqttViolation.Kind.MALFORMED_PACKET;
        return new MqttViolation(kind, type + " could not be decoded: " + cause.getMessage(), version,
                !connectMapped, false);
    }
}
