package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Subscription;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The byte form of what the store keeps as one column: a message's 5.0 properties, a session's subscriptions and
 * its will.
 * A version byte leads, so that a later layout can still read what an earlier one wrote. The helpers are shared with
 * {@link HazelcastEntries}, which writes whole entries of the {@code hazelcast} store in the same layout. Strings are written with
 * a 4-byte length (a topic filter may exceed the 65,535 bytes of {@code writeUTF}'s modified UTF-8).
 */
final class StoreCodec {

    private static final int VERSION = 1;

    private StoreCodec() {
    }

    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** Null when there is nothing to keep (no properties, the common case). */
    static byte[] encode(PublishProperties p) {
        if (p == null || p.equals(PublishProperties.NONE)) {
            return null;
        }
        return bytes(out -> {
            writeNullableInt(out, p.payloadFormatIndicator());
            out.writeBoolean(p.messageExpiryInterval() != null);
            if (p.messageExpiryInterval() != null) {
                out.writeLong(p.messageExpiryInterval());
            }
            writeString(out, p.responseTopic());
            writeBytes(out, p.correlationData());
            out.writeInt(p.userProperties().size());
            for (UserProperty u : p.userProperties()) {
                writeString(out, u.name());
                writeString(out, u.value());
            }
            writeString(out, p.contentType());
        });
    }

    static PublishProperties decodeProperties(byte[] data) {
        if (data == null) {
            return PublishProperties.NONE;
        }
        return read(data, in -> {
            Integer format = readNullableInt(in);
            Long expiry = in.readBoolean() ? in.readLong() : null;
            String responseTopic = readString(in);
            byte[] correlation = readBytes(in);
            int users = in.readInt();
            List<UserProperty> userProperties = new ArrayList<>(users);
            for (int i = 0; i < users; i++) {
                userProperties.add(new UserProperty(readString(in), readString(in)));
            }
            return new PublishProperties(format, expiry, null, responseTopic, correlation, userProperties, List.of(),
                    readString(in));
        });
    }

    /** A session's will: topic, payload, QoS, retain, delay and its properties. Null for none. */
    static byte[] encode(Will will) {
        if (will == null) {
            return null;
        }
        return bytes(out -> {
            writeString(out, will.topic());
            writeBytes(out, will.payload());
            out.writeByte(will.qos().value());
            out.writeBoolean(will.retain());
            out.writeLong(will.delayIntervalSeconds());
            writeBytes(out, encode(will.properties()));
        });
    }

    static Will decodeWill(byte[] data) {
        if (data == null) {
            return null;
        }
        return read(data, in -> new Will(readString(in), readBytes(in), QoS.of(in.readByte()), in.readBoolean(),
                in.readLong(), decodeProperties(readBytes(in))));
    }

    static byte[] encode(Collection<Subscription> subscriptions) {
        return bytes(out -> {
            out.writeInt(subscriptions.size());
            for (Subscription s : subscriptions) {
                writeString(out, s.topicFilter());
                out.writeByte(s.maximumQoS().value());
                out.writeBoolean(s.noLocal());
                out.writeBoolean(s.retainAsPublished());
                out.writeByte(s.retainHandling());
                out.writeInt(s.identifier());
            }
        });
    }

    static List<Subscription> decodeSubscriptions(String clientId, byte[] data) {
        if (data == null) {
            return List.of();
        }
        return read(data, in -> {
            int count = in.readInt();
            List<Subscription> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(new Subscription(clientId, readString(in), QoS.of(in.readByte()), in.readBoolean(),
                        in.readBoolean(), in.readByte(), in.readInt()));
            }
            return list;
        });
    }

    static byte[] bytes(Writer writer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static <T> T read(byte[] data, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("Stored data of layout " + version + "; this broker reads " + VERSION);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullableInt(DataOutputStream out, Integer value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeInt(value);
        }
    }

    private static Integer readNullableInt(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
