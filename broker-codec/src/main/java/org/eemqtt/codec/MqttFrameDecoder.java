package org.eemqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.eemqtt.api.packet.MqttVersion;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets before Netty's MqttDecoder sees them, and checks what that decoder
 * cannot or does not check on the raw bytes: reserved fixed-header flags (Netty silently resets some of them),
 * the 4-byte limit and minimal encoding of the remaining length, the maximum packet size before the packet is
 * buffered, CONNECT as first packet and the protocol name/level of that CONNECT. Each whole packet then goes
 * through {@link PacketValidator} (strings, properties, packet ids, reason codes, flags in the body).
 *
 * <p>Emits one retained {@link ByteBuf} per packet (fixed header included), so that the MqttDecoder downstream
 * decodes exactly one packet per buffer, or a single {@link MqttViolation} after which all input is discarded.
 * Unsupported protocol versions are answered here with a CONNACK, as no broker session exists yet.
 */
public final class MqttFrameDecoder extends ByteToMessageDecoder {

    /** 5.0 CONNACK: remaining length 3, no session present, 0x84 unsupported protocol version, no properties. */
    static final byte[] CONNACK_V5_UNSUPPORTED_VERSION = {0x20, 0x03, 0x00, (byte) 0x84, 0x00};
    /** 3.x CONNACK: remaining length 2, no session present, return code 1 unacceptable protocol version. */
    static final byte[] CONNACK_V3_UNACCEPTABLE_VERSION = {0x20, 0x02, 0x00, 0x01};

    private static final int CONNECT = 1;
    static final String[] TYPE_NAMES = {"RESERVED(0)", "CONNECT", "CONNACK", "PUBLISH", "PUBACK",
        "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP",
        "DISCONNECT", "AUTH"};

    private final int maxPacketSize;
    private final PacketValidator validator = new PacketValidator();
    /** The version of the first CONNECT once its header passed; null before. */
    private MqttVersion version;
    /** The first CONNECT has been passed on; later violations are no longer "during CONNECT". */
    private boolean connectEmitted;
    private boolean failed;

    public MqttFrameDecoder(int maxPacketSize) {
        if (maxPacketSize < 2) {
            throw new IllegalArgumentException("maxPacketSize " + maxPacketSize);
        }
        this.maxPacketSize = maxPacketSize;
    }

    /** The protocol version of the connection's CONNECT, null until one with a supported version arrived. */
    public MqttVersion version() {
        return version;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // One packet per call: ByteToMessageDecoder calls again while input remains and progress is made.
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int first = in.getUnsignedByte(start);
        int type = first >> 4;
        if (version == null && type != CONNECT) {
            fail(ctx, in, out, MqttViolation.Kind.NOT_CONNECT_FIRST,
                    "first packet is " + TYPE_NAMES[type] + " (byte 0x" + Integer.toHexString(first)
                            + "), not CONNECT");
            return;
        }
        String flagError = flagError(type, first & 0x0F);
        if (flagError != null) {
            fail(ctx, in, out, MqttViolation.Kind.MALFORMED_PACKET, flagError);
            return;
        }

        int remaining = 0;
        int headerLength = 1;
        for (int multiplier = 1; ; multiplier <<= 7) {
            if (headerLength >= readable) {
                return; // the remaining length is still incomplete
            }
            int digit = in.getUnsignedByte(start + headerLength++);
            remaining += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0) {
                if (digit == 0 && headerLength > 2) {
                    fail(ctx, in, out, MqttViolation.Kind.MALFORMED_PACKET,
                            TYPE_NAMES[type] + " remaining length not minimally encoded");
                    return;
                }
                break;
            }
            if (headerLength == 5) {
                fail(ctx, in, out, MqttViolation.Kind.MALFORMED_PACKET,
                        TYPE_NAMES[type] + " remaining length longer than 4 bytes");
                return;
            }
        }

        if (version == null && !checkConnectHeader(ctx, in, out, start + headerLength, remaining)) {
            return; // incomplete (nothing consumed) or rejected
        }
        long total = (long) headerLength + remaining;
        if (total > maxPacketSize) {
            fail(ctx, in, out, MqttViolation.Kind.PACKET_TOO_LARGE,
                    TYPE_NAMES[type] + " of " + total + " bytes exceeds the maximum packet size " + maxPacketSize);
            return;
        }
        if (readable < total) {
            return;
        }
        MalformedPacketException invalid = validator.check(in, first, start + headerLength, remaining, version);
        if (invalid != null) {
            fail(ctx, in, out, invalid.kind(), invalid.getMessage());
            return;
        }
        out.add(in.readRetainedSlice((int) total));
        if (type == CONNECT) {
            connectEmitted = true;
        }
    }

    /**
     * Peeks protocol name and level of the first CONNECT. Returns true when supported (and records the version),
     * false when more bytes are needed or the connection was rejected.
     */
    private boolean checkConnectHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, int at,
                                       int remaining) {
        if (remaining < 3) {
            fail(ctx, in, out, MqttViolation.Kind.MALFORMED_PACKET, "CONNECT too short: " + remaining + " bytes");
            return false;
        }
        if (in.writerIndex() < at + 2) {
            return false;
        }
        int nameLength = in.getUnsignedShort(at);
        if (2 + nameLength + 1 > remaining) {
            fail(ctx, in, out, MqttViolation.Kind.MALFORMED_PACKET,
                    "CONNECT protocol name length " + nameLength + " exceeds the packet");
            return false;
        }
        if (in.writerIndex() < at + 2 + nameLength + 1) {
            return false;
        }
        String name = in.toString(at + 2, nameLength, StandardCharsets.UTF_8);
        int level = in.getUnsignedByte(at + 2 + nameLength);
        MqttVersion supported = MqttVersion.of(name, level);
        if (supported == null) {
            // 5.0 clients understand the 5.0 CONNACK; everyone else gets the 3.x one (MQTT-3.1.2-2, 5.0 3.1.2.2).
            byte[] connAck = level == 5 ? CONNACK_V5_UNSUPPORTED_VERSION : CONNACK_V3_UNACCEPTABLE_VERSION;
            failed = true;
            in.skipBytes(in.readableBytes());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(connAck)).addListener(ChannelFutureListener.CLOSE);
            out.add(new MqttViolation(MqttViolation.Kind.UNSUPPORTED_PROTOCOL,
                    "unsupported protocol name/level \"" + printable(name) + "\"/" + level, null, true, true));
            return false;
        }
        version = supported;
        ctx.channel().attr(MqttPipeline.VERSION).set(supported);
        return true;
    }

    /** The reason the fixed-header flags are invalid for the packet type (MQTT 3.1.1 2.2.2, 5.0 2.1.3), or null. */
    private String flagError(int type, int flags) {
        String name = TYPE_NAMES[type];
        return switch (type) {
            case 0 -> "reserved packet type 0";
            case 3 -> (flags & 0x06) == 0x06 ? "PUBLISH with QoS 3" : null;
            case 6, 8, 10 -> flags != 0b0010 ? name + " fixed-header flags must be 0010, got " + bits(flags) : null;
            case 15 -> version != MqttVersion.V5 ? "AUTH is only valid in MQTT 5"
                    : flags != 0 ? name + " fixed-header flags must be 0000, got " + bits(flags) : null;
            default -> flags != 0 ? name + " fixed-header flags must be 0000, got " + bits(flags) : null;
        };
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, MqttViolation.Kind kind,
                      String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new MqttViolation(kind, detail, version, !connectEmitted, false));
    }

    private static String bits(int flags) {
        return String.format("%4s", Integer.toBinaryString(flags)).replace(' ', '0');
    }

    /** Keeps control characters of non-MQTT input out of the log. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 32));
        for (int i = 0; i < s.length() && i < 32; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
