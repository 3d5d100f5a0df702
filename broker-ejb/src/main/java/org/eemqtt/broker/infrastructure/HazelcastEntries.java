package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of the {@code hazelcast} store as bytes (Hazelcast then holds only {@code String} keys and
 * {@code byte[]} values, and needs none of our classes), in {@link StoreCodec}'s layout: a session, a stored copy,
 * and the keys that name a session's copies and inbound identifiers.
 */
final class HazelcastEntries {

    /**
     * Separates the client id from the number in a copy's or an inbound identifier's key: U+0000 cannot occur in an
     * MQTT string (MQTT-1.5.4-2), so no client id contains it.
     */
    static final char SEPARATOR = '\u0000';

    private HazelcastEntries() {
    }

    /**
     * A persistent session as stored: the node that holds it (its Hazelcast member id), its expiry, when it went
     * offline (0: online), its subscriptions and its will (null: none).
     */
    record Session(String owner, long expiryIntervalSeconds, long offlineAtMillis, List<Subscription> subscriptions,
                   StoredWill will) {

        Session withOwner(String node) {
            return new Session(node, expiryIntervalSeconds, offlineAtMillis, subscriptions, will);
        }

        Session online(long expiry, StoredWill connectionWill) {
            return new Session(owner, expiry, 0, subscriptions, connectionWill);
        }

        Session offline(long expiry, long atMillis, StoredWill pendingWill) {
            return new Session(owner, expiry, atMillis, subscriptions, pendingWill);
        }

        Session withSubscriptions(List<Subscription> list) {
            return new Session(owner, expiryIntervalSeconds, offlineAtMillis, list, will);
        }

        Session withWill(StoredWill pending) {
            return new Session(owner, expiryIntervalSeconds, offlineAtMillis, subscriptions, pending);
        }
    }

    /** A stored copy's fixed part: the message and how it goes to its session (packet identifiers are apart). */
    record Copy(Message message, Recipient recipient) {
    }

    static String key(String clientId, long number) {
        return clientId + SEPARATOR + number;
    }

    /** The client id of a copy's or inbound identifier's key. */
    static String clientId(String key) {
        return key.substring(0, key.lastIndexOf(SEPARATOR));
    }

    /** The number (message id, packet identifier) of a copy's or inbound identifier's key. */
    static long number(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEPARATOR) + 1));
    }

    /** A regular expression for the keys of one session's copies or inbound identifiers. */
    static String keysOf(String clientId) {
        return java.util.regex.Pattern.quote(clientId + SEPARATOR) + "\\d+";
    }

    static byte[] encode(Session s) {
        return StoreCodec.bytes(out -> {
            StoreCodec.writeString(out, s.owner());
            out.writeLong(s.expiryIntervalSeconds());
            out.writeLong(s.offlineAtMillis());
            StoreCodec.writeBytes(out, StoreCodec.encode(s.subscriptions()));
            StoreCodec.writeBytes(out, s.will() == null ? null : StoreCodec.encode(s.will().will()));
            out.writeLong(s.will() == null ? 0 : s.will().dueAtMillis());
        });
    }

    static Session decodeSession(String clientId, byte[] data) {
        return StoreCodec.read(data, in -> {
            String owner = StoreCodec.readString(in);
            long expiry = in.readLong();
            long offlineAt = in.readLong();
            List<Subscription> subscriptions = StoreCodec.decodeSubscriptions(clientId, StoreCodec.readBytes(in));
            byte[] will = StoreCodec.readBytes(in);
            long due = in.readLong();
            return new Session(owner, expiry, offlineAt, subscriptions,
                    will == null ? null : new StoredWill(StoreCodec.decodeWill(will), due));
        });
    }

    static byte[] encode(Message message, Recipient r) {
        return StoreCodec.bytes(out -> {
            StoreCodec.writeBytes(out, ClusterFrames.message(message));
            out.writeByte(r.qos().value());
            out.writeBoolean(r.retain());
            out.writeInt(r.subscriptionIdentifiers().size());
            for (int id : r.subscriptionIdentifiers()) {
                out.writeInt(id);
            }
            StoreCodec.writeString(out, r.sharedFilter());
        });
    }

    static Copy decodeCopy(String clientId, byte[] data) {
        return StoreCodec.read(data, in -> {
            Message message = ClusterFrames.message(StoreCodec.readBytes(in));
            QoS qos = QoS.of(in.readByte());
            boolean retain = in.readBoolean();
            int count = in.readInt();
            List<Integer> identifiers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                identifiers.add(in.readInt());
            }
            return new Copy(message, new Recipient(clientId, qos, retain, identifiers, StoreCodec.readString(in)));
        });
    }

    /** A copy's packet identifier and whether PUBREC arrived, as one number: identifier * 2 + released. */
    static int sentState(int packetId, boolean released) {
        return packetId * 2 + (released ? 1 : 0);
    }

    static int packetId(int sentState) {
        return sentState / 2;
    }

    static boolean released(int sentState) {
        return sentState % 2 == 1;
    }
}
