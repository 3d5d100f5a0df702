package org.eemqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/** Test support: a channel with the real codec pipeline, fed with and read as plain bytes. */
final class Wire {

    static final int MAX_PACKET_SIZE = 1024;

    final EmbeddedChannel channel = new EmbeddedChannel();

    Wire() {
        this(MAX_PACKET_SIZE);
    }

    Wire(int maxPacketSize) {
        MqttPipeline.install(channel.pipeline(), maxPacketSize);
    }

    /** Bytes from ints, so that tests can write 0x80 and above without casts. */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Writes bytes as one inbound read and returns everything the codec passed to the last handler. */
    List<Object> feed(byte[] data) {
        channel.writeInbound(Unpooled.wrappedBuffer(data));
        return inbound();
    }

    List<Object> inbound() {
        List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        return out;
    }

    /** Feeds bytes that must yield exactly one object, and returns it. */
    <T> T single(byte[] data, Class<T> type) {
        List<Object> out = feed(data);
        if (out.size() != 1 || !type.isInstance(out.get(0))) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", got " + out);
        }
        return type.cast(out.get(0));
    }

    /** Writes a packet as the broker would, and returns the bytes that reached the network. */
    byte[] write(Object packet) {
        channel.writeAndFlush(packet);
        return written();
    }

    /** All bytes written to the network so far, concatenated. */
    byte[] written() {
        ByteBuf all = Unpooled.buffer();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        byte[] result = ByteBufUtil.getBytes(all);
        all.release();
        return result;
    }

    static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    // ---- a few packets many tests need ----

    /** MQTT 3.1.1 CONNECT, client id "c", clean session, keep alive 60. */
    static final byte[] CONNECT_V311 = bytes(
            0x10, 13,                       // CONNECT, remaining length 13
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
            0x04,                           // protocol level 4 = 3.1.1
            0x02,                           // connect flags: clean session
            0x00, 0x3C,                     // keep alive 60 s
            0x00, 0x01, 'c');               // client id "c"

    /** MQTT 5.0 CONNECT, client id "c", clean start, keep alive 60, no properties. */
    static final byte[] CONNECT_V5 = bytes(
            0x10, 14,                       // CONNECT, remaining length 14
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
            0x05,                           // protocol level 5
            0x02,                           // connect flags: clean start
            0x00, 0x3C,                     // keep alive 60 s
            0x00,                           // properties length 0
            0x00, 0x01, 'c');               // client id "c"

    /** A channel past a 3.1.1 CONNECT (the ConnectPacket consumed). */
    static Wire connectedV311() {
        Wire w = new Wire();
        w.single(CONNECT_V311, org.eemqtt.api.packet.ConnectPacket.class);
        return w;
    }

    /** A channel past a 5.0 CONNECT (the ConnectPacket consumed). */
    static Wire connectedV5() {
        Wire w = new Wire();
        w.single(CONNECT_V5, org.eemqtt.api.packet.ConnectPacket.class);
        return w;
    }
}
