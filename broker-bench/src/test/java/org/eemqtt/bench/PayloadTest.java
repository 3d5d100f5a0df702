package org.eemqtt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class PayloadTest {

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    @Test
    void encodesPublisherSequenceAndTimestampThenPadsToSize() {
        ByteBuf b = Payload.encode(alloc, 64, 7, 123_456_789_012L, -42L);
        try {
            assertThat(b.readableBytes()).isEqualTo(64);
            assertThat(Payload.isOurs(b)).isTrue();
            assertThat(Payload.publisherId(b)).isEqualTo(7);
            assertThat(Payload.seq(b)).isEqualTo(123_456_789_012L);
            assertThat(Payload.sentNanos(b)).isEqualTo(-42L);
            for (int i = Payload.HEADER_BYTES; i < 64; i++) {
                assertThat(b.getByte(i)).isZero();
            }
        } finally {
            b.release();
        }
    }

    @Test
    void decodesRelativeToTheReaderIndex() {
        ByteBuf b = alloc.buffer().writeByte(0xFF);
        ByteBuf p = Payload.encode(alloc, 20, 3, 9, 11);
        b.writeBytes(p);
        p.release();
        b.skipBytes(1);
        assertThat(Payload.publisherId(b)).isEqualTo(3);
        assertThat(Payload.seq(b)).isEqualTo(9);
        assertThat(Payload.sentNanos(b)).isEqualTo(11);
        b.release();
    }

    @Test
    void neverSmallerThanItsHeaderAndRecognisesForeignPayloads() {
        ByteBuf b = Payload.encode(alloc, 4, 1, 2, 3);
        assertThat(b.readableBytes()).isEqualTo(Payload.HEADER_BYTES);
        b.release();
        ByteBuf foreign = alloc.buffer().writeBytes(new byte[] {1, 2, 3});
        assertThat(Payload.isOurs(foreign)).isFalse();
        foreign.release();
    }
}
