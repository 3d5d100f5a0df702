package org.eemqtt.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The benchmark payload: publisher id (int), sequence number (long) and send time ({@link System#nanoTime()},
 * long), big-endian, then zero padding up to the requested size.
 */
final class Payload {

    static final int HEADER_BYTES = 4 + 8 + 8;

    private Payload() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, int size, int publisherId, long seq, long sentNanos) {
        int total = Math.max(size, HEADER_BYTES);
        ByteBuf buf = alloc.buffer(total, total);
        buf.writeInt(publisherId).writeLong(seq).writeLong(sentNanos);
        buf.writeZero(total - HEADER_BYTES);
        return buf;
    }

    /** Whether the readable bytes can hold a payload of ours (anything else is counted as foreign). */
    static boolean isOurs(ByteBuf buf) {
        return buf.readableBytes() >= HEADER_BYTES;
    }

    static int publisherId(ByteBuf buf) {
        return buf.getInt(buf.readerIndex());
    }

    static long seq(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + 4);
    }

    static long sentNanos(ByteBuf buf) {
        return buf.getLong(buf.readerIndex() + 12);
    }
}
