package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What nodes send each other, as plain bytes: Hazelcast then carries only {@code byte[]} and {@code String}, so no
 * broker class has to be known to Payara's Hazelcast class loader, and the format is ours to version.
 */
final class ClusterFrames {

    static final byte FORWARD = 1;
    static final byte FILTER_ADDED = 2;
    static final byte FILTER_REMOVED = 3;
    static final byte TAKE_OVER = 4;
    static final byte REPLY = 5;
    /** Asks for users' connections: text = the names, one a line; answered by a {@link #DATA_REPLY}. */
    static final byte USER_STATUS = 6;
    /** A user changed (text = the name): the node drops what it cached of the user. */
    static final byte USER_CHANGED = 7;
    /** A user was removed (text = the name): the node closes its connections; the reply counts them. */
    static final byte USER_REMOVED = 8;
    /** A reply carrying bytes: {@code data} (the users' connections, see {@link UserConnections}). */
    static final byte DATA_REPLY = 9;
    /** A node's number of members in a share group (text = {@code $share/g/f}, count; 0: none left). */
    static final byte SHARE_MEMBERS = 10;
    /** A message handed over for one share group only (text = {@code $share/g/f}); not confirmed. */
    static final byte SHARE_HANDOVER = 11;
    /** A message relayed for one session that moved to the receiving node (text = the client id); confirmed. */
    static final byte RELAY = 12;
    /**
     * The session of a move is settled on the sending node (text = the move's id, a space, the client id): the
     * receiving node, where it came from, fences every node, stops relaying, and replies.
     */
    static final byte RELEASE = 13;
    /** Answered at once: whatever the answering node sent the asking one before has arrived there. */
    static final byte FENCE = 14;
    /** Separates the share groups of a forward: U+0000 is in no topic filter (MQTT-1.5.4-2). */
    private static final String SHARES_SEPARATOR = "\0";

    /**
     * A decoded frame: {@code text} is the filter, client id or share group, {@code count} a reply's sessions reached
     * or a node's members in a group; a forward's share groups are in {@link #shares()}.
     */
    record Frame(byte type, long requestId, String origin, String text, Message message, boolean ok, int count,
                 byte[] data) {
        Frame(byte type, long requestId, String origin, String text, Message message, boolean ok, int count) {
            this(type, requestId, origin, text, message, ok, count, null);
        }

        /** The share groups ({@code $share/g/f}) a forward's receiver delivers the message to. */
        Set<String> shares() {
            return text == null || text.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(text.split(SHARES_SEPARATOR)));
        }
    }

    private ClusterFrames() {
    }

    static byte[] forward(long requestId, String origin, Message message) {
        return forward(requestId, origin, message, List.of());
    }

    /** A forward whose receiver also delivers the message to one member of each of {@code shares}. */
    static byte[] forward(long requestId, String origin, Message message, List<String> shares) {
        return message(FORWARD, requestId, origin, message, shares);
    }

    /** A message for the session {@code clientId}, which moved to the receiving node. */
    static byte[] relay(long requestId, String origin, String clientId, Message message) {
        return message(RELAY, requestId, origin, message, List.of(clientId));
    }

    /** A message for one member of {@code group} on the receiving node, and nobody else there. */
    static byte[] handOver(String origin, Message message, String group) {
        return message(SHARE_HANDOVER, 0, origin, message, List.of(group));
    }

    private static byte[] message(byte type, long requestId, String origin, Message message, List<String> shares) {
        return write(type, requestId, origin, out -> {
            writeMessage(out, message);
            writeString(out, String.join(SHARES_SEPARATOR, shares));
            writeString(out, message.clusterId() == null ? "" : message.clusterId());
        });
    }

    static byte[] shareMembers(long requestId, String origin, String group, int members) {
        return write(SHARE_MEMBERS, requestId, origin, out -> {
            writeString(out, group);
            out.writeInt(members);
        });
    }

    static byte[] text(byte type, long requestId, String origin, String text) {
        return write(type, requestId, origin, out -> writeString(out, text));
    }

    static byte[] reply(long requestId, String origin, boolean ok, int count) {
        return write(REPLY, requestId, origin, out -> {
            out.writeBoolean(ok);
            out.writeInt(count);
        });
    }

    static Frame read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte type = in.readByte();
            long requestId = in.readLong();
            String origin = readString(in);
            return switch (type) {
                case FORWARD, SHARE_HANDOVER, RELAY -> {
                    Message message = readMessage(in);
                    String text = readString(in);
                    String clusterId = readString(in);
                    yield new Frame(type, requestId, origin, text,
                            clusterId.isEmpty() ? message : message.withClusterId(clusterId), true, 0);
                }
                case SHARE_MEMBERS -> new Frame(type, requestId, origin, readString(in), null, true, in.readInt());
                case FILTER_ADDED, FILTER_REMOVED, TAKE_OVER, USER_STATUS, USER_CHANGED, USER_REMOVED, RELEASE, FENCE ->
                        new Frame(type, requestId, origin, readString(in), null, true, 0);
                case REPLY -> new Frame(type, requestId, origin, null, null, in.readBoolean(), in.readInt());
                case DATA_REPLY -> new Frame(type, requestId, origin, null, null, true, 0, readBytes(in));
                default -> throw new IllegalArgumentException("unknown cluster frame type " + type);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] dataReply(long requestId, String origin, byte[] data) {
        return write(DATA_REPLY, requestId, origin, out -> writeBytes(out, data));
    }

    /** A message alone, as the cluster's retained copy holds it. */
    static byte[] message(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeMessage(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Message message(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return readMessage(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(byte type, long requestId, String origin, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            out.writeLong(requestId);
            writeString(out, origin);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeMessage(DataOutputStream out, Message m) throws IOException {
        writeString(out, m.topic());
        writeBytes(out, m.payload());
        out.writeByte(m.qos().value());
        out.writeBoolean(m.retain());
        byte[] properties = StoreCodec.encode(m.properties()); // null: none
        out.writeInt(properties == null ? -1 : properties.length);
        if (properties != null) {
            out.write(properties);
        }
        writeString(out, m.publisherClientId() == null ? "" : m.publisherClientId());
        out.writeLong(m.expiresAtMillis());
    }

    private static Message readMessage(DataInputStream in) throws IOException {
        String topic = readString(in);
        byte[] payload = readBytes(in);
        QoS qos = QoS.of(in.readByte());
        boolean retain = in.readBoolean();
        int propertiesLength = in.readInt();
        byte[] properties = propertiesLength < 0 ? null : new byte[propertiesLength];
        if (properties != null) {
            in.readFully(properties);
        }
        String publisher = readString(in);
        long expiresAt = in.readLong();
        return new Message(topic, payload, qos, retain, StoreCodec.decodeProperties(properties),
                publisher.isEmpty() ? null : publisher, expiresAt);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
