package org.eemqtt.broker.infrastructure;

import com.hazelcast.config.FlakeIdGeneratorConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.flakeidgen.FlakeIdGenerator;
import com.hazelcast.map.IMap;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.infrastructure.HazelcastEntries.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code hazelcast} storage choice: persistent sessions, their copies and inbound QoS 2 identifiers, and retained
 * messages in Hazelcast maps, each entry with one synchronous backup on another member, so that they survive the
 * loss of any one node; a restart of the whole cluster keeps none of it.
 *
 * <p>Every stage the flows wait for completes when Hazelcast confirmed the write, and Hazelcast confirms a write
 * with a synchronous backup only once the backup has it: an acknowledgement that leaves from such a stage stands
 * for a message held by two members. The asynchronous map operations are used throughout, so no network thread
 * waits for another member; what has no asynchronous form (a scan of a session's entries) runs on {@code blocking},
 * and the stages complete on {@code completions}, never on a Hazelcast thread (see {@link #off}).
 *
 * <p>A node reads and writes only the sessions it holds (their entries name it as owner): it knows what it wrote
 * for them ({@link Held}), so removing a session or a copy needs no query. Other nodes' sessions come in by
 * {@link #takeSession} (handed over) and {@link #adopt} (of nodes that are gone), read by {@link HazelcastRecovery}.
 */
public final class HazelcastSessionStore implements SessionStore {

    static final String SESSIONS = "eemqtt.store.sessions";
    static final String COPIES = "eemqtt.store.copies";
    static final String SENT = "eemqtt.store.sent";
    static final String INBOUND = "eemqtt.store.inbound";
    /** The cluster's retained messages ({@link HazelcastCluster} reads them there): one copy for both. */
    static final String RETAINED = ClusterRetained.MAP;
    private static final String MESSAGE_IDS = "eemqtt.store.messageIds";

    private static final Logger LOG = Logger.getLogger(HazelcastSessionStore.class.getName());
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final HazelcastInstance hazelcast;
    private final String self;
    private final Executor blocking;
    private final Executor completions;
    private final IMap<String, byte[]> sessions;
    private final IMap<String, byte[]> copies;
    private final IMap<String, Integer> sent;
    private final IMap<String, Integer> inbound;
    private final IMap<String, byte[]> retained;
    private final FlakeIdGenerator messageIds;
    /** Orders the completions of {@link #messageAccepted}; the last of them. */
    private final Object acceptedOrder = new Object();
    private CompletableFuture<?> lastAccepted = CompletableFuture.completedFuture(null);
    /** The persistent sessions this node holds, with what it stored for them. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** What this node stored for one of its sessions: the session entry as last written, its copies' states. */
    static final class Held {
        private Session session;
        /** Message id to the copy's sent state (-1: queued, no packet identifier yet). */
        final Map<Long, Integer> copies = new ConcurrentHashMap<>();
        final Set<Integer> inbound = ConcurrentHashMap.newKeySet();
        /**
         * Writes of the session's state not confirmed yet, lazy or not: a hand-over waits for them, so that the next
         * owner reads every copy and packet identifier this node sent with.
         */
        final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

        Held(Session session) {
            this.session = session;
        }

        <T> CompletableFuture<T> pending(CompletionStage<T> stage) {
            CompletableFuture<T> write = stage.toCompletableFuture();
            pending.add(write);
            write.whenComplete((done, failure) -> pending.remove(write));
            return write;
        }

        synchronized Session session() {
            return session;
        }
    }

    public HazelcastSessionStore(HazelcastInstance hazelcast, Executor completions, Executor blocking) {
        this.hazelcast = hazelcast;
        this.self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.completions = completions;
        this.blocking = blocking;
        configure(hazelcast);
        this.sessions = hazelcast.getMap(SESSIONS);
        this.copies = hazelcast.getMap(COPIES);
        this.sent = hazelcast.getMap(SENT);
        this.inbound = hazelcast.getMap(INBOUND);
        this.retained = hazelcast.getMap(RETAINED);
        this.messageIds = hazelcast.getFlakeIdGenerator(MESSAGE_IDS);
    }

    /**
     * One synchronous backup, stated here rather than relied on as Hazelcast's default, since the acknowledgements
     * depend on it; added before the maps are first used (a map keeps the configuration it was created with).
     * Message ids are taken one at a time, not prefetched: a flake id holds the time it was made, so ids taken
     * fresh keep rising across nodes, and a session's copies stay in order when it moves to another node.
     */
    static void configure(HazelcastInstance hazelcast) {
        try {
            hazelcast.getConfig().addFlakeIdGeneratorConfig(new FlakeIdGeneratorConfig(MESSAGE_IDS)
                    .setPrefetchCount(1));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Flake id configuration " + MESSAGE_IDS + " not added", e);
        }
        for (String name : List.of("eemqtt.store.*", RETAINED)) {
            try {
                hazelcast.getConfig().addMapConfig(new MapConfig(name).setBackupCount(1).setAsyncBackupCount(0));
            } catch (RuntimeException e) {
                // another member added it first, or the server's configuration names it: keep theirs, say which
                LOG.log(Level.WARNING, "Map configuration " + name + " not added; backups: "
                        + hazelcast.getConfig().getMapConfig(name).getTotalBackupCount(), e);
            }
        }
    }

    String nodeId() {
        return self;
    }

    @Override
    public CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds,
                                               Will will) {
        StoredWill connectionWill = will == null ? null : new StoredWill(will, 0);
        Held known = held.get(clientId);
        if (expiryIntervalSeconds == 0) {
            // a clean session needs nothing stored; one that was persistent until now is forgotten
            return held.remove(clientId) != null ? off(forget(clientId, known)) : DONE;
        }
        if (!cleanStart && known != null) {
            return update(clientId, known, s -> s.online(expiryIntervalSeconds, connectionWill));
        }
        // a session this node does not hold starts afresh here, as it does in memory: what is stored for the
        // client id (left by a node that is gone, say) is discarded first
        held.remove(clientId);
        Held fresh = new Held(new Session(self, expiryIntervalSeconds, 0, List.of(), connectionWill));
        held.put(clientId, fresh);
        CompletionStage<Void> cleared = known != null ? forget(clientId, known) : discardStored(clientId);
        return off(cleared).thenCompose(done -> off(write(clientId, fresh.session())));
    }

    @Override
    public CompletionStage<Void> sessionOffline(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                                StoredWill pendingWill) {
        return update(clientId, held.get(clientId), s -> s.offline(expiryIntervalSeconds, offlineAtMillis,
                pendingWill));
    }

    @Override
    public CompletionStage<Void> willDone(String clientId) {
        return update(clientId, held.get(clientId), s -> s.withWill(null));
    }

    @Override
    public CompletionStage<Void> sessionEnded(String clientId) {
        Held known = held.remove(clientId);
        return known != null ? off(forget(clientId, known)) : DONE;
    }

    @Override
    public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
        List<Recipient> stored = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            if (r.qos() != QoS.AT_MOST_ONCE && held.containsKey(r.clientId())) {
                stored.add(r);
            }
        }
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        long id = messageIds.newId(); // unique in the cluster, and rising on each node: copies keep their order
        CompletableFuture<?>[] writes = new CompletableFuture<?>[stored.size()];
        for (int i = 0; i < writes.length; i++) {
            Recipient r = stored.get(i);
            Held session = held.get(r.clientId());
            if (session != null) {
                session.copies.put(id, -1);
            }
            writes[i] = copies.setAsync(HazelcastEntries.key(r.clientId(), id), HazelcastEntries.encode(message, r))
                    .toCompletableFuture();
            if (session != null) {
                session.pending(writes[i]);
            }
        }
        CompletableFuture<Long> accepted;
        synchronized (acceptedOrder) {
            // each copy goes to its own partition, so writes complete in any order; the flows deliver a message
            // when its stage completes, so the stages complete in the order the messages came (MQTT-4.6.0-6)
            CompletableFuture<?> before = lastAccepted;
            accepted = CompletableFuture.allOf(writes).thenCombine(before.handle((any, failure) -> null),
                    (done, previous) -> id);
            lastAccepted = accepted;
        }
        return off(accepted);
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        CompletionStage<?> done = message.payload().length == 0 ? retained.removeAsync(message.topic())
                : retained.setAsync(message.topic(), ClusterFrames.message(message));
        return off(done.thenApply(any -> null));
    }

    @Override
    public CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions) {
        List<Subscription> copy = List.copyOf(subscriptions);
        return update(clientId, held.get(clientId), s -> s.withSubscriptions(copy));
    }

    @Override
    public CompletionStage<Void> inboundReceived(String clientId, int packetId) {
        Held session = held.get(clientId);
        if (session == null) {
            return DONE;
        }
        session.inbound.add(packetId);
        return off(session.pending(inbound.setAsync(HazelcastEntries.key(clientId, packetId), packetId)));
    }

    @Override
    public CompletionStage<Void> releaseReceived(String clientId, int packetId) {
        Held session = held.get(clientId);
        if (session == null || !session.inbound.remove(packetId)) {
            return DONE;
        }
        return off(session.pending(inbound.removeAsync(HazelcastEntries.key(clientId, packetId)))
                .thenApply(any -> null));
    }

    @Override
    public CompletionStage<Void> outboundSent(String clientId, long messageId, int packetId, QoS qos) {
        Held session = held.get(clientId);
        if (session == null || session.copies.replace(messageId, HazelcastEntries.sentState(packetId, false))
                == null) {
            return DONE;
        }
        CompletableFuture<Void> written = sent.setAsync(HazelcastEntries.key(clientId, messageId),
                HazelcastEntries.sentState(packetId, false)).toCompletableFuture();
        session.pending(written);
        // a lost QoS 1 identifier only means a new PUBLISH: not waited for
        return qos == QoS.AT_LEAST_ONCE ? DONE : off(written);
    }

    @Override
    public CompletionStage<Void> outboundReceived(String clientId, long messageId) {
        Held session = held.get(clientId);
        Integer state = session == null ? null : session.copies.get(messageId);
        if (state == null || state < 0) {
            return DONE;
        }
        int released = HazelcastEntries.sentState(HazelcastEntries.packetId(state), true);
        session.copies.put(messageId, released);
        return off(session.pending(sent.setAsync(HazelcastEntries.key(clientId, messageId), released)));
    }

    @Override
    public CompletionStage<Void> outboundDone(String clientId, long messageId) {
        Held session = held.get(clientId);
        if (session != null && session.copies.remove(messageId) != null) {
            session.pending(removeCopy(clientId, messageId));
        }
        return DONE;
    }

    /** Every node of the cluster reads and writes these same maps. */
    @Override
    public boolean shareWith(String nodeId) {
        if (!nodeId.equals(self)) {
            throw new IllegalStateException("The cluster's node id " + nodeId + " is not this Hazelcast member's "
                    + self + ": the store's owners would not match the cluster's nodes");
        }
        return true;
    }

    @Override
    public StoredState adopt(Set<String> liveNodes, boolean withRetained) {
        return new HazelcastRecovery(this, System.currentTimeMillis()).load(owner -> !liveNodes.contains(owner),
                withRetained);
    }

    @Override
    public CompletionStage<StoredState.StoredSession> takeSession(String clientId) {
        return CompletableFuture.supplyAsync(() -> new HazelcastRecovery(this, System.currentTimeMillis())
                .loadSession(clientId), blocking);
    }

    @Override
    public CompletionStage<Void> handOver(String clientId) {
        Held session = held.remove(clientId);
        if (session == null) {
            return DONE;
        }
        List<CompletableFuture<?>> writes = new ArrayList<>(session.pending);
        synchronized (session) {
            session.session = session.session.withWill(null); // this node publishes or drops the will
            writes.add(write(clientId, session.session).toCompletableFuture());
        }
        return off(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
    }

    /**
     * Not called on a shared store (this one always is); should it be, it reads what {@link #adopt} would: the
     * sessions of members that are gone, and the retained messages.
     */
    @Override
    public StoredState load() {
        return adopt(hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
                .collect(java.util.stream.Collectors.toSet()), true);
    }

    /** Adopted by {@link HazelcastRecovery}: this node now holds the session. */
    void adopted(String clientId, Held session) {
        held.put(clientId, session);
    }

    IMap<String, byte[]> sessions() {
        return sessions;
    }

    IMap<String, byte[]> copies() {
        return copies;
    }

    IMap<String, Integer> sent() {
        return sent;
    }

    IMap<String, Integer> inbound() {
        return inbound;
    }

    IMap<String, byte[]> retained() {
        return retained;
    }

    private CompletionStage<Void> update(String clientId, Held session,
                                         java.util.function.UnaryOperator<Session> change) {
        if (session == null) {
            return DONE;
        }
        // changed and written under the session's lock, so that the writes leave in the order of the changes
        synchronized (session) {
            session.session = change.apply(session.session);
            return off(write(clientId, session.session));
        }
    }

    /**
     * The stage, completed on {@code completions} instead of the Hazelcast thread that completed it: what the flows
     * do next (send an acknowledgement, write again) must not run there, as a Hazelcast response thread may make
     * no remote call. One thread, as the database store's writer: completions keep the order they arrive in.
     */
    private <T> CompletableFuture<T> off(CompletionStage<T> stage) {
        return stage.toCompletableFuture().whenCompleteAsync((value, failure) -> { }, completions);
    }

    CompletionStage<Void> write(String clientId, Session session) {
        return sessions.setAsync(clientId, HazelcastEntries.encode(session));
    }

    /** Removes what this node stored for the session: the session entry, its copies and inbound identifiers. */
    private CompletionStage<Void> forget(String clientId, Held session) {
        List<CompletableFuture<?>> removals = new ArrayList<>();
        removals.add(sessions.removeAsync(clientId).toCompletableFuture());
        for (Long id : session.copies.keySet()) {
            removals.add(removeCopy(clientId, id));
        }
        for (Integer packetId : session.inbound) {
            removals.add(inbound.removeAsync(HazelcastEntries.key(clientId, packetId)).toCompletableFuture());
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> removeCopy(String clientId, long messageId) {
        String key = HazelcastEntries.key(clientId, messageId);
        return CompletableFuture.allOf(copies.removeAsync(key).toCompletableFuture(),
                sent.removeAsync(key).toCompletableFuture());
    }

    /** Removes whatever is stored for a client id this node does not hold (a query: off the calling thread). */
    private CompletionStage<Void> discardStored(String clientId) {
        return sessions.removeAsync(clientId).thenCompose(previous -> previous == null ? DONE
                : CompletableFuture.runAsync(() -> HazelcastRecovery.removeEntriesOf(this, clientId), blocking));
    }

}
