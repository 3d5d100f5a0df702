package org.eemqtt.broker.infrastructure;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hot path of the store, in plain JDBC on the batch's connection: new messages and their copies, packet
 * identifiers, PUBREC states and finished copies. Through JPA each of these cost a unit-of-work object and, for the
 * updates and deletes, a SELECT round trip first (no shared cache); here a batch's writes are collected, folded and
 * sent as one JDBC batch per statement kind. Folding: a copy finished in the same batch as its packet identifier
 * or PUBREC state needs no UPDATE (and one inserted in the same batch needs no INSERT either); a message whose last
 * copy is deleted goes in the same transaction, by one statement per batch. Lazy (QoS 1) packet identifiers are
 * held back for one flush: most copies are acknowledged by then, and an acknowledged copy's identifier is never
 * written (under load, writing each had cost about one UPDATE per two messages).
 *
 * <p>The kinds run in the order of a copy's life (insert message, insert copy, update, delete), which is the order
 * of any one copy's operations: a copy is only updated or finished after its insert committed (its store id is
 * known only then). Operations of other tables are not reordered across: the writer flushes these writes before
 * running one.
 */
final class CopyWrites {

    private static final int IN_LIST = 256;

    private record Key(String sessionKey, long messageId) {
    }

    private final Map<Long, Message> newMessages = new LinkedHashMap<>();
    private final Map<Key, Recipient> newCopies = new LinkedHashMap<>();
    private final Map<Key, Integer> packetIds = new LinkedHashMap<>();
    /** Lazy identifiers of this flush, and those held back from the flush before (written by the next one). */
    private Map<Key, Integer> lazyPacketIds = new LinkedHashMap<>();
    private Map<Key, Integer> heldBack = new LinkedHashMap<>();
    private final Set<Key> released = new LinkedHashSet<>();
    /** Finished copies by session: one DELETE per session (and IN list) instead of one per copy. */
    private final Map<String, Set<Long>> finished = new LinkedHashMap<>();
    private final Set<Long> maybeUnreferenced = new LinkedHashSet<>();
    private Boolean embedded; // H2 in the broker's process (known at the first flush)

    /** A new message and its copies, for the sessions of these store keys (one per recipient). */
    void messageAccepted(long id, Message message, List<Recipient> recipients, List<String> sessionKeys) {
        newMessages.put(id, message);
        for (int i = 0; i < recipients.size(); i++) {
            newCopies.put(new Key(sessionKeys.get(i), id), recipients.get(i));
        }
    }

    void sent(String sessionKey, long messageId, int packetId, boolean lazy) {
        Key key = new Key(sessionKey, messageId);
        if (lazy && !newCopies.containsKey(key)) {
            heldBack.remove(key);
            lazyPacketIds.put(key, packetId);
        } else {
            packetIds.put(key, packetId);
        }
    }

    void released(String sessionKey, long messageId) {
        released.add(new Key(sessionKey, messageId));
    }

    void done(String sessionKey, long messageId) {
        Key key = new Key(sessionKey, messageId);
        packetIds.remove(key);
        lazyPacketIds.remove(key);
        heldBack.remove(key);
        released.remove(key);
        if (newCopies.remove(key) == null) {
            finished.computeIfAbsent(key.sessionKey(), k -> new LinkedHashSet<>()).add(messageId);
        }
        maybeUnreferenced.add(messageId);
    }

    boolean isEmpty() {
        return newMessages.isEmpty() && newCopies.isEmpty() && packetIds.isEmpty() && released.isEmpty()
                && finished.isEmpty() && maybeUnreferenced.isEmpty() && lazyPacketIds.isEmpty() && heldBack.isEmpty();
    }

    /** Whether lazy identifiers are held back: the writer flushes them when it would idle otherwise. */
    boolean hasHeldBack() {
        return !heldBack.isEmpty() || !lazyPacketIds.isEmpty();
    }

    /** The next flush writes every lazy identifier (the writer is closing). */
    void holdNothingBack() {
        heldBack.putAll(lazyPacketIds);
        lazyPacketIds.clear();
    }

    /** Sends what was collected on {@code connection} (inside the batch's transaction) and forgets it. */
    void flush(Connection connection) throws SQLException {
        insertMessages(connection);
        insertCopies(connection);
        heldBack.forEach(packetIds::putIfAbsent);
        heldBack = lazyPacketIds;
        lazyPacketIds = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE MQTT_OUTBOUND SET PACKET_ID = ? WHERE SESSION_KEY = ? AND MESSAGE_ID = ?")) {
            for (Map.Entry<Key, Integer> e : packetIds.entrySet()) {
                ps.setInt(1, e.getValue());
                ps.setString(2, e.getKey().sessionKey());
                ps.setLong(3, e.getKey().messageId());
                ps.addBatch();
            }
            execute(ps, packetIds.size());
        }
        byKey(connection, "UPDATE MQTT_OUTBOUND SET RELEASED = TRUE WHERE SESSION_KEY = ? AND MESSAGE_ID = ?",
                released);
        deleteFinished(connection);
        deleteUnreferencedMessages(connection);
        clear(false);
    }

    /** Forgets what this flush collected; held-back lazy identifiers stay unless {@code all}. */
    void clear(boolean all) {
        if (all) {
            lazyPacketIds.clear();
            heldBack.clear();
        }
        newMessages.clear();
        newCopies.clear();
        packetIds.clear();
        released.clear();
        finished.clear();
        maybeUnreferenced.clear();
    }

    private void insertMessages(Connection connection) throws SQLException {
        if (newMessages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO MQTT_MESSAGE (ID, TOPIC, PAYLOAD, QOS,"
                + " RETAIN_FLAG, PROPERTIES, EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, Message> e : newMessages.entrySet()) {
                Message m = e.getValue();
                ps.setLong(1, e.getKey());
                ps.setString(2, m.topic());
                ps.setBytes(3, m.payload());
                ps.setInt(4, m.qos().value());
                ps.setBoolean(5, m.retain());
                ps.setBytes(6, StoreCodec.encode(m.properties()));
                ps.setLong(7, m.expiresAtMillis());
                ps.addBatch();
            }
            execute(ps, newMessages.size());
        }
    }

    private void insertCopies(Connection connection) throws SQLException {
        if (newCopies.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO MQTT_OUTBOUND (SESSION_KEY, MESSAGE_ID,"
                + " QOS, RETAIN_FLAG, SUBSCRIPTION_IDS, SHARED_FILTER, PACKET_ID, RELEASED)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Key, Recipient> e : newCopies.entrySet()) {
                Recipient r = e.getValue();
                Key key = e.getKey();
                Integer packetId = packetIds.remove(key); // folded into the insert
                ps.setString(1, key.sessionKey());
                ps.setLong(2, key.messageId());
                ps.setInt(3, r.qos().value());
                ps.setBoolean(4, r.retain());
                ps.setString(5, OutboundEntity.encodeIdentifiers(r.subscriptionIdentifiers()));
                ps.setString(6, r.sharedFilter());
                ps.setInt(7, packetId == null ? 0 : packetId);
                ps.setBoolean(8, released.remove(key));
                ps.addBatch();
            }
            execute(ps, newCopies.size());
        }
    }

    private static void byKey(Connection connection, String sql, Set<Key> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Key key : keys) {
                ps.setString(1, key.sessionKey());
                ps.setLong(2, key.messageId());
                ps.addBatch();
            }
            execute(ps, keys.size());
        }
    }

    /**
     * Finished copies. A server (MySQL, MariaDB) gets one DELETE per session with the ids in an IN list: one
     * statement to parse and run instead of one per copy. Embedded H2 has no round trip to save, and does not use
     * the key's second column for an IN list after an equality on the first (it scans the session's copies): one
     * keyed DELETE per copy, in a batch.
     */
    private void deleteFinished(Connection connection) throws SQLException {
        if (finished.isEmpty()) {
            return;
        }
        if (embedded == null) {
            embedded = "H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
        }
        if (!embedded) {
            for (Map.Entry<String, Set<Long>> e : finished.entrySet()) {
                inLists(connection, "DELETE FROM MQTT_OUTBOUND WHERE SESSION_KEY = ? AND MESSAGE_ID IN (", ")",
                        e.getKey(), e.getValue());
            }
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM MQTT_OUTBOUND WHERE SESSION_KEY = ? AND MESSAGE_ID = ?")) {
            for (Map.Entry<String, Set<Long>> e : finished.entrySet()) {
                for (Long id : e.getValue()) {
                    ps.setString(1, e.getKey());
                    ps.setLong(2, id);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Messages whose copies were finished here and that no copy refers to any more. */
    private void deleteUnreferencedMessages(Connection connection) throws SQLException {
        inLists(connection, "DELETE FROM MQTT_MESSAGE WHERE ID IN (",
                ") AND NOT EXISTS (SELECT 1 FROM MQTT_OUTBOUND O WHERE O.MESSAGE_ID = MQTT_MESSAGE.ID)", null,
                maybeUnreferenced);
    }

    /** Runs {@code head ?, ?, ... tail} for the ids, at most {@value #IN_LIST} a statement, after a session key. */
    private static void inLists(Connection connection, String head, String tail, String sessionKey,
                                Collection<Long> ids) throws SQLException {
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = connection.prepareStatement(head + marks + tail)) {
                int i = 1;
                if (sessionKey != null) {
                    ps.setString(i++, sessionKey);
                }
                for (Long id : chunk) {
                    ps.setLong(i++, id);
                }
                ps.executeUpdate();
            }
        }
    }

    private static void execute(PreparedStatement ps, int count) throws SQLException {
        if (count > 0) {
            ps.executeBatch();
        }
    }
}
