package org.eemqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.eemqtt.api.packet.MqttVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eemqtt.codec.Wire.bytes;

/**
 * The validator runs for every packet on the hot path (the bench drives about 100k messages/s), so a valid packet
 * must be checked in place without allocating: measured with HotSpot's per-thread allocation counter.
 */
class PacketValidatorAllocationTest {

    /** 5.0 PUBLISH QoS 1 with a multi-byte topic and string, binary, integer and user properties. */
    private static final byte[] PUBLISH = bytes(
            0x32, 43,                                   // PUBLISH QoS 1, remaining length 43
            0x00, 0x07, 's', '/', 0xE2, 0x82, 0xAC, '/', 'x', // topic "s/€/x"
            0x00, 0x07,                                 // packet id 7
            26,                                         // properties length 26
            0x01, 0x01,                                 //   payload format indicator 1
            0x02, 0x00, 0x00, 0x00, 0x3C,               //   message expiry interval 60
            0x03, 0x00, 0x04, 't', 'e', 'x', 't',       //   content type "text"
            0x09, 0x00, 0x02, 0xCA, 0xFE,               //   correlation data CA FE
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',     //   user property k=v
            'h', 'e', 'l', 'l', 'o');                   // payload "hello"

    @Test
    void validPacketIsCheckedWithoutAllocating() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        long thread = Thread.currentThread().getId();
        ByteBuf buf = Unpooled.wrappedBuffer(PUBLISH);
        PacketValidator validator = new PacketValidator();
        assertThat(validator.check(buf, PUBLISH[0] & 0xFF, 2, PUBLISH.length - 2, MqttVersion.V5)).isNull();
        for (int i = 0; i < 20_000; i++) { // warm up, so that class loading and JIT are not counted
            validator.check(buf, PUBLISH[0] & 0xFF, 2, PUBLISH.length - 2, MqttVersion.V5);
        }

        long before = hotspot.getThreadAllocatedBytes(thread);
        int failures = 0;
        for (int i = 0; i < 100_000; i++) {
            if (validator.check(buf, PUBLISH[0] & 0xFF, 2, PUBLISH.length - 2, MqttVersion.V5) != null) {
                failures++;
            }
        }
        long allocated = hotspot.getThreadAllocatedBytes(thread) - before;

        assertThat(failures).isZero();
        // 100k packets: even one small object each would be megabytes; allow a little for the counter itself.
        assertThat(allocated).as("bytes allocated for 100k packets").isLessThan(16 * 1024);
        buf.release();
    }
}
