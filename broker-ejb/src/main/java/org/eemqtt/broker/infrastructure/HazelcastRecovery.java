package org.eemqtt.broker.infrastructure;

import com.hazelcast.query.Predicates;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.infrastructure.HazelcastEntries.Copy;
import org.eemqtt.broker.infrastructure.HazelcastEntries.Session;
import org.eemqtt.broker.infrastructure.HazelcastSessionStore.Held;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Reads sessions of the {@code hazelcast} store that this node takes over (blocking: at start, or off the network
 * threads), as {@link StoreRecovery} does for the database: sessions whose expiry passed are removed (their
 * pending wills handed on: due), expired copies and retained messages dropped, and every session read is written
 * back with this node as its owner before it is returned.
 */
final class HazelcastRecovery {

    private final HazelcastSessionStore store;
    private final long now;

    HazelcastRecovery(HazelcastSessionStore store, long now) {
        this.store = store;
        this.now = now;
    }

    /** The sessions of owners that {@code adopt} names, and the retained messages when {@code withRetained}. */
    StoredState load(Predicate<String> adopt, boolean withRetained) {
        Map<String, Session> taken = new HashMap<>();
        store.sessions().entrySet().forEach(e -> {
            Session s = HazelcastEntries.decodeSession(e.getKey(), e.getValue());
            if (adopt.test(s.owner())) {
                taken.put(e.getKey(), s);
            }
        });
        Map<String, Will> endedWills = new HashMap<>();
        List<StoredSession> sessions = new ArrayList<>();
        if (!taken.isEmpty()) {
            Entries entries = new Entries();
            // keys first: only the taken sessions' entries travel here, not every node's queued payloads
            store.copies().getAll(keysOf(store.copies(), taken)).forEach((k, v) -> entries.copy(taken, k, v));
            store.sent().getAll(keysOf(store.sent(), taken)).forEach((k, v) -> entries.sent(taken, k, v));
            store.inbound().getAll(keysOf(store.inbound(), taken)).forEach((k, v) -> entries.inbound(taken, k, v));
            taken.forEach((clientId, s) -> {
                StoredSession session = take(clientId, s, entries, endedWills);
                if (session != null) {
                    sessions.add(session);
                }
            });
        }
        List<Message> retained = new ArrayList<>();
        if (!withRetained) {
            return new StoredState(sessions, retained, endedWills);
        }
        store.retained().entrySet().forEach(e -> {
            Message m = ClusterFrames.message(e.getValue());
            if (m.isExpired(now)) {
                store.retained().remove(e.getKey(), e.getValue());
            } else {
                retained.add(m);
            }
        });
        return new StoredState(sessions, retained, endedWills);
    }

    private static Set<String> keysOf(com.hazelcast.map.IMap<String, ?> map, Map<String, Session> taken) {
        Set<String> keys = new java.util.HashSet<>();
        for (String key : map.keySet()) {
            if (taken.containsKey(HazelcastEntries.clientId(key))) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** One session, by client id, whoever held it: null when none is stored or its expiry passed. */
    StoredSession loadSession(String clientId) {
        byte[] stored = store.sessions().get(clientId);
        if (stored == null) {
            return null;
        }
        Map<String, Session> taken = Map.of(clientId, HazelcastEntries.decodeSession(clientId, stored));
        Entries entries = new Entries();
        store.copies().entrySet(keysOf(clientId)).forEach(e -> entries.copy(taken, e.getKey(), e.getValue()));
        store.sent().entrySet(keysOf(clientId)).forEach(e -> entries.sent(taken, e.getKey(), e.getValue()));
        store.inbound().entrySet(keysOf(clientId)).forEach(e -> entries.inbound(taken, e.getKey(), e.getValue()));
        return take(clientId, taken.get(clientId), entries, new HashMap<>());
    }

    /** Removes every copy and inbound identifier stored for the client id (a query over the maps). */
    static void removeEntriesOf(HazelcastSessionStore store, String clientId) {
        store.copies().removeAll(keysOf(clientId));
        store.sent().removeAll(keysOf(clientId));
        store.inbound().removeAll(keysOf(clientId));
    }

    /** The keys of one session's copies or inbound identifiers (a scan of the map's keys, on every member). */
    private static <V> com.hazelcast.query.Predicate<String, V> keysOf(String clientId) {
        return Predicates.regex("__key", HazelcastEntries.keysOf(clientId));
    }

    /** The entries of the sessions being taken, by client id; copies by message id, in the order they were made. */
    private final class Entries {
        final Map<String, TreeMap<Long, Copy>> copies = new HashMap<>();
        final Map<String, Map<Long, Integer>> sent = new HashMap<>();
        final Map<String, TreeSet<Integer>> inbound = new HashMap<>();

        void copy(Map<String, Session> taken, String key, byte[] value) {
            String clientId = HazelcastEntries.clientId(key);
            if (taken.containsKey(clientId)) {
                Copy copy = HazelcastEntries.decodeCopy(clientId, value);
                if (copy.message().isExpired(now)) {
                    store.copies().removeAsync(key); // MQTT-3.3.2-5: not sent once expired
                    store.sent().removeAsync(key);
                } else {
                    copies.computeIfAbsent(clientId, c -> new TreeMap<>()).put(HazelcastEntries.number(key), copy);
                }
            }
        }

        void sent(Map<String, Session> taken, String key, Integer state) {
            String clientId = HazelcastEntries.clientId(key);
            if (taken.containsKey(clientId)) {
                sent.computeIfAbsent(clientId, c -> new HashMap<>()).put(HazelcastEntries.number(key), state);
            }
        }

        void inbound(Map<String, Session> taken, String key, Integer packetId) {
            String clientId = HazelcastEntries.clientId(key);
            if (taken.containsKey(clientId)) {
                inbound.computeIfAbsent(clientId, c -> new TreeSet<>()).add(packetId);
            }
        }
    }

    /** The session as this node's, written back with it as owner; null (and removed) when its expiry passed. */
    private StoredSession take(String clientId, Session s, Entries entries, Map<String, Will> endedWills) {
        Held held = new Held(s.withOwner(store.nodeId()));
        entries.copies.getOrDefault(clientId, new TreeMap<>()).keySet().forEach(id -> held.copies.put(id, -1));
        held.inbound.addAll(entries.inbound.getOrDefault(clientId, new TreeSet<>()));
        if (isOver(s)) {
            if (s.will() != null) {
                endedWills.put(clientId, s.will().will()); // due by the session's end at the latest
            }
            store.sessions().remove(clientId);
            removeEntriesOf(store, clientId);
            return null;
        }
        List<StoredCopy> stored = new ArrayList<>();
        Map<Long, Integer> states = entries.sent.getOrDefault(clientId, Map.of());
        entries.copies.getOrDefault(clientId, new TreeMap<>()).forEach((id, copy) -> {
            Integer state = states.get(id);
            held.copies.put(id, state == null ? -1 : state);
            stored.add(new StoredCopy(id, copy.message(), copy.recipient(),
                    state == null ? 0 : HazelcastEntries.packetId(state),
                    state != null && HazelcastEntries.released(state)));
        });
        CompletableFuture<Void> owned = store.write(clientId, held.session()).toCompletableFuture();
        owned.join();
        store.adopted(clientId, held);
        return new StoredSession(clientId, s.expiryIntervalSeconds(), s.offlineAtMillis(), s.subscriptions(),
                stored, Set.copyOf(held.inbound), s.will());
    }

    /** No expiry (not persistent), or offline for longer than its expiry interval. */
    private boolean isOver(Session s) {
        long expiry = s.expiryIntervalSeconds();
        if (expiry == 0) {
            return true;
        }
        return expiry != ConnectPacket.SESSION_NEVER_EXPIRES && s.offlineAtMillis() != 0
                && s.offlineAtMillis() + expiry * 1000 <= now;
    }
}
