package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable {@link SessionStore} on JPA: every write goes through the {@link StoreWriter} (group commit, off the
 * network threads); reads are served from the broker's memory, which {@link #load} fills at start. Only sessions
 * with an expiry interval above zero are written; calls about other sessions complete at once, so clean sessions
 * cost no disk write. Which sessions are persistent is known here, from {@link #sessionOpened}.
 */
public final class JpaSessionStore implements SessionStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JpaSessionStore.class.getName());
    static final int MAX_BATCH = 1000;
    private static final long HOUSEKEEPING_MILLIS = 10_000;
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final EntityManagerFactory factory;
    private final StoreWriter writer;
    /** The persistent sessions: client id to its store key (a SHA-256, computed once per session, not per write). */
    private final Map<String, String> sessionKeys = new ConcurrentHashMap<>();
    private final AtomicLong nextMessageId = new AtomicLong(1);
    /** Whether the database can serve several nodes (a database server, not a file of this node's). */
    private final boolean serverDatabase;
    /** This node's id while the store is shared by the cluster's nodes (then ids come from blocks), else null. */
    private volatile String owner;
    private final MessageIds sharedIds = new MessageIds();

    public JpaSessionStore(EntityManagerFactory factory, ThreadFactory threads) {
        this(factory, threads, false);
    }

    public JpaSessionStore(EntityManagerFactory factory, ThreadFactory threads, boolean serverDatabase) {
        this.factory = factory;
        this.serverDatabase = serverDatabase;
        this.writer = new StoreWriter(factory, threads, MAX_BATCH, StoreRecovery::sweep, HOUSEKEEPING_MILLIS);
    }

    StoreWriter writer() {
        return writer;
    }

    @Override
    public CompletionStage<Void> sessionOpened(String clientId, boolean cleanStart, long expiryIntervalSeconds,
                                               Will will) {
        if (expiryIntervalSeconds == 0) {
            // a clean session needs nothing on disk; one that was persistent until now is forgotten there. Shared:
            // the session may be stored by another node that handed it over: a clean start deletes it too
            boolean stored = sessionKeys.remove(clientId) != null || owner != null && cleanStart;
            return stored ? writer.submit(em -> deleteSession(em, clientId)) : DONE;
        }
        sessionKeys.put(clientId, StoreKeys.of(clientId));
        return writer.submit(em -> {
            SessionEntity session = cleanStart ? null : em.find(SessionEntity.class, StoreKeys.of(clientId));
            if (session == null) {
                deleteSession(em, clientId);
                session = new SessionEntity(clientId);
                em.persist(session);
            }
            session.online(expiryIntervalSeconds);
            session.will(will == null ? null : new StoredWill(will, 0));
            session.owner(owner);
        });
    }

    @Override
    public CompletionStage<Void> sessionOffline(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                                StoredWill pendingWill) {
        return ifPersistent(clientId, em -> {
            SessionEntity session = em.find(SessionEntity.class, StoreKeys.of(clientId));
            if (session != null) {
                session.offline(expiryIntervalSeconds, offlineAtMillis);
                session.will(pendingWill);
            }
        });
    }

    @Override
    public CompletionStage<Void> willDone(String clientId) {
        return ifPersistent(clientId, em -> {
            SessionEntity session = em.find(SessionEntity.class, StoreKeys.of(clientId));
            if (session != null) {
                session.will(null);
            }
        });
    }

    @Override
    public CompletionStage<Void> sessionEnded(String clientId) {
        return sessionKeys.remove(clientId) != null ? writer.submit(em -> deleteSession(em, clientId)) : DONE;
    }

    @Override
    public CompletionStage<Long> messageAccepted(Message message, Collection<Recipient> recipients) {
        List<Recipient> stored = new ArrayList<>(recipients.size());
        List<String> keys = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            String key = r.qos() == QoS.AT_MOST_ONCE ? null : sessionKeys.get(r.clientId());
            if (key != null) {
                stored.add(r);
                keys.add(key);
            }
        }
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        long id = owner != null ? sharedIds.next(this::refillIds) : nextMessageId.getAndIncrement();
        return writer.submitCopies(w -> w.messageAccepted(id, message, stored, keys)).thenApply(done -> id);
    }

    @Override
    public CompletionStage<Void> retainedChanged(Message message) {
        return writer.submit(em -> {
            RetainedEntity existing = em.find(RetainedEntity.class, StoreKeys.of(message.topic()));
            if (message.payload().length == 0) {
                if (existing != null) {
                    em.remove(existing);
                }
            } else if (existing != null) {
                existing.update(message);
            } else {
                em.persist(new RetainedEntity(message));
            }
        });
    }

    @Override
    public CompletionStage<Void> subscriptionsChanged(String clientId, Collection<Subscription> subscriptions) {
        List<Subscription> copy = List.copyOf(subscriptions);
        return ifPersistent(clientId, em -> {
            SessionEntity session = em.find(SessionEntity.class, StoreKeys.of(clientId));
            if (session != null) {
                session.subscriptions(copy);
            }
        });
    }

    @Override
    public CompletionStage<Void> inboundReceived(String clientId, int packetId) {
        return ifPersistent(clientId, em -> {
            if (em.find(InboundEntity.class, InboundEntity.key(clientId, packetId)) == null) {
                em.persist(new InboundEntity(clientId, packetId));
            }
        });
    }

    @Override
    public CompletionStage<Void> releaseReceived(String clientId, int packetId) {
        return ifPersistent(clientId, em -> {
            InboundEntity row = em.find(InboundEntity.class, InboundEntity.key(clientId, packetId));
            if (row != null) {
                em.remove(row);
            }
        });
    }

    @Override
    public CompletionStage<Void> outboundSent(String clientId, long messageId, int packetId, QoS qos) {
        boolean lazy = qos == QoS.AT_LEAST_ONCE;
        String key = sessionKeys.get(clientId);
        return key == null ? DONE : writer.submitCopies(w -> w.sent(key, messageId, packetId, lazy));
    }

    @Override
    public CompletionStage<Void> outboundReceived(String clientId, long messageId) {
        String key = sessionKeys.get(clientId);
        return key == null ? DONE : writer.submitCopies(w -> w.released(key, messageId));
    }

    @Override
    public CompletionStage<Void> outboundDone(String clientId, long messageId) {
        // the message row goes with its last copy (CopyWrites); the sweep catches those of sessions that ended
        String key = sessionKeys.get(clientId);
        return key == null ? DONE : writer.submitCopies(w -> w.done(key, messageId));
    }

    @Override
    public StoredState load() {
        StoreRecovery.Loaded loaded = StoreRecovery.load(factory, System.currentTimeMillis(),
                StoreRecovery.Scope.ALL);
        nextMessageId.set(loaded.nextMessageId());
        loaded.state().sessions().forEach(s -> sessionKeys.put(s.clientId(), StoreKeys.of(s.clientId())));
        return loaded.state();
    }

    @Override
    public boolean shareWith(String nodeId) {
        if (!serverDatabase) {
            LOG.warning("Cluster on a database file of each node (H2): persistent sessions stay on the node that "
                    + "holds them; a client that connects to another node starts a new session there. Share one "
                    + "MySQL/MariaDB (mqtt.db.url) between the nodes so that sessions move with their clients.");
            return false;
        }
        owner = nodeId;
        writer.submit(sharedIds::reserve).toCompletableFuture().join();
        LOG.info(() -> "Store shared by the cluster's nodes: sessions move between them (this node " + nodeId + ")");
        return true;
    }

    @Override
    public StoredState adopt(Set<String> liveNodes, boolean withRetained) {
        // through the writer, like takeSession: a session is read after the writes about it that were queued here
        StoreRecovery.Loaded[] loaded = new StoreRecovery.Loaded[1];
        writer.submit(em -> loaded[0] = loadAndOrder(em,
                StoreRecovery.Scope.adopt(owner, liveNodes, withRetained))).toCompletableFuture().join();
        loaded[0].state().sessions().forEach(s -> sessionKeys.put(s.clientId(), StoreKeys.of(s.clientId())));
        return loaded[0].state();
    }

    @Override
    public CompletionStage<StoredSession> takeSession(String clientId) {
        StoreRecovery.Loaded[] loaded = new StoreRecovery.Loaded[1];
        return writer.submit(em -> loaded[0] = loadAndOrder(em, StoreRecovery.Scope.take(owner, clientId)))
                .thenApply(done -> {
                    List<StoredSession> sessions = loaded[0].state().sessions();
                    if (sessions.isEmpty()) {
                        return null;
                    }
                    sessionKeys.put(clientId, StoreKeys.of(clientId));
                    return sessions.get(0);
                });
    }

    /** Loads in the writer's transaction; then this node's next identifiers sort after the copies it took. */
    private StoreRecovery.Loaded loadAndOrder(EntityManager em, StoreRecovery.Scope scope) {
        StoreRecovery.Loaded loaded = StoreRecovery.load(em, System.currentTimeMillis(), scope);
        if (!sharedIds.isAbove(loaded.maxCopyId())) {
            sharedIds.reserve(em);
        }
        return loaded;
    }

    @Override
    public CompletionStage<Void> handOver(String clientId) {
        String key = sessionKeys.remove(clientId);
        if (key == null) {
            return DONE;
        }
        // every lazy packet identifier too: the next owner re-sends in-flight copies with DUP under them
        writer.submitCopies(CopyWrites::holdNothingBack);
        return writer.submit(em -> {
            SessionEntity session = em.find(SessionEntity.class, key);
            if (session != null) {
                session.will(null); // this node publishes or drops the will of the connection it closed
            }
        });
    }

    /** Reserves the next block in the writer's order; a failed reservation is asked again by the next id. */
    private void refillIds(MessageIds ids) {
        writer.submit(ids::reserve).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Message identifiers not reserved", failure);
                ids.refillFailed();
            }
        });
    }

    private CompletionStage<Void> ifPersistent(String clientId, StoreWriter.Work work) {
        return sessionKeys.containsKey(clientId) ? writer.submit(work) : DONE;
    }

    /** Deletes the session's row, copies and inbound identifiers. Flushes first: bulk deletes see only the database. */
    static void deleteSession(EntityManager em, String clientId) {
        String key = StoreKeys.of(clientId);
        em.flush();
        em.createQuery("delete from OutboundEntity o where o.sessionKey = :k").setParameter("k", key)
                .executeUpdate();
        em.createQuery("delete from InboundEntity i where i.sessionKey = :k").setParameter("k", key).executeUpdate();
        em.createQuery("delete from SessionEntity s where s.sessionKey = :k").setParameter("k", key).executeUpdate();
        em.clear(); // managed rows of this batch may be gone now
    }

    @Override
    public void close() {
        writer.close();
    }
}
