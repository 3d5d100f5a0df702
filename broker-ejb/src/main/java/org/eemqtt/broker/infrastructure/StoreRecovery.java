package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.StoredState.StoredWill;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what a previous run stored, once at start, and purges on the way what is over: sessions without expiry
 * (clean ones are not stored, but an older layout or a crash mid-change may have left one), sessions whose expiry
 * passed while the broker was down (their pending wills are handed on: due), expired messages and retained
 * messages, and messages no copy refers to.
 */
final class StoreRecovery {

    /** Sessions whose ownership one bulk update changes (an IN list of this many keys at most). */
    private static final int OWNER_UPDATE_CHUNK = 500;

    /**
     * Which sessions a load takes. {@link #ALL}: every one (a store of one node). On a shared store, recorded as
     * owned by {@code owner} from then on: those whose owner is not one of {@code liveNodes} (adopting), or the one
     * of {@code onlyKey} (taking a session that moved here). Rows of sessions not taken are left alone.
     */
    record Scope(String owner, Set<String> liveNodes, String onlyKey, boolean withRetained) {

        static final Scope ALL = new Scope(null, null, null, true);

        static Scope adopt(String owner, Set<String> liveNodes, boolean withRetained) {
            return new Scope(owner, Set.copyOf(liveNodes), null, withRetained);
        }

        static Scope take(String owner, String clientId) {
            return new Scope(owner, null, StoreKeys.of(clientId), false);
        }

        boolean shared() {
            return owner != null;
        }

        boolean takes(SessionEntity s) {
            if (onlyKey != null) {
                return s.sessionKey().equals(onlyKey);
            }
            return liveNodes == null || s.owner() == null || !liveNodes.contains(s.owner());
        }
    }

    /**
     * @param nextMessageId above every stored message identifier (for a store of one node)
     * @param maxCopyId     the largest message identifier among the copies of the sessions taken (0: none)
     */
    record Loaded(StoredState state, long nextMessageId, long maxCopyId) {
    }

    private StoreRecovery() {
    }

    static Loaded load(EntityManagerFactory factory, long now, Scope scope) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            Loaded loaded = load(em, now, scope);
            tx.commit();
            return loaded;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    static Loaded load(EntityManager em, long now, Scope scope) {
        Map<String, SessionEntity> live = new HashMap<>();
        Map<String, Will> endedWills = new HashMap<>();
        List<SessionEntity> rows = scope.onlyKey() == null
                ? em.createQuery("select s from SessionEntity s", SessionEntity.class).getResultList()
                : em.createQuery("select s from SessionEntity s where s.sessionKey = :k", SessionEntity.class)
                        .setParameter("k", scope.onlyKey()).getResultList();
        for (SessionEntity s : rows) {
            if (!scope.takes(s)) {
                continue; // another live node holds it
            }
            if (isOver(s, now)) {
                StoredWill will = s.storedWill();
                if (will != null) {
                    endedWills.put(s.clientId(), will.will()); // due by the session's end at the latest
                }
                JpaSessionStore.deleteSession(em, s.clientId());
            } else {
                live.put(s.sessionKey(), s);
            }
        }
        if (scope.shared()) {
            takeOwnership(em, scope.owner(), List.copyOf(live.keySet()));
        }
        Map<Long, Message> messages = new HashMap<>();
        long maxId = 0;
        List<MessageEntity> messageRows = scope.onlyKey() == null
                ? em.createQuery("select m from MessageEntity m", MessageEntity.class).getResultList()
                : em.createQuery("select m from MessageEntity m where m.id in (select o.messageId from "
                        + "OutboundEntity o where o.sessionKey = :k)", MessageEntity.class)
                        .setParameter("k", scope.onlyKey()).getResultList();
        for (MessageEntity m : messageRows) {
            maxId = Math.max(maxId, m.id());
            if (!isExpired(m.columns().expiresAtMillis(), now)) {
                messages.put(m.id(), m.columns().toMessage());
            }
        }
        Map<String, List<StoredCopy>> copies = new HashMap<>();
        long maxCopyId = 0;
        List<OutboundEntity> copyRows = scope.onlyKey() == null
                ? em.createQuery("select o from OutboundEntity o order by o.sessionKey, o.messageId",
                        OutboundEntity.class).getResultList()
                : em.createQuery("select o from OutboundEntity o where o.sessionKey = :k order by o.messageId",
                        OutboundEntity.class).setParameter("k", scope.onlyKey()).getResultList();
        for (OutboundEntity o : copyRows) {
            SessionEntity session = live.get(o.sessionKey());
            if (session == null && scope.shared()) {
                continue; // of a session another node holds (or deleted above, with its copies)
            }
            Message message = messages.get(o.messageId());
            if (session == null || message == null) {
                em.remove(o); // of an ended session, or expired (MQTT-3.3.2-5: not sent once expired)
                continue;
            }
            maxCopyId = Math.max(maxCopyId, o.messageId());
            copies.computeIfAbsent(o.sessionKey(), k -> new ArrayList<>()).add(new StoredCopy(o.messageId(), message,
                    o.toRecipient(session.clientId()), o.packetId(), o.isReleased()));
        }
        Map<String, Set<Integer>> awaiting = new HashMap<>();
        List<InboundEntity> inboundRows = scope.onlyKey() == null
                ? em.createQuery("select i from InboundEntity i", InboundEntity.class).getResultList()
                : em.createQuery("select i from InboundEntity i where i.sessionKey = :k", InboundEntity.class)
                        .setParameter("k", scope.onlyKey()).getResultList();
        for (InboundEntity i : inboundRows) {
            if (live.containsKey(i.sessionKey())) {
                awaiting.computeIfAbsent(i.sessionKey(), k -> new TreeSet<>()).add(i.packetId());
            } else if (!scope.shared()) {
                em.remove(i);
            }
        }
        List<StoredSession> sessions = new ArrayList<>(live.size());
        live.forEach((key, s) -> sessions.add(new StoredSession(s.clientId(), s.expiryIntervalSeconds(),
                s.offlineAtMillis(), s.subscriptionList(), copies.getOrDefault(key, List.of()),
                awaiting.getOrDefault(key, Set.of()), s.storedWill())));
        List<Message> retained = new ArrayList<>();
        if (scope.withRetained()) {
            for (RetainedEntity r : em.createQuery("select r from RetainedEntity r", RetainedEntity.class)
                    .getResultList()) {
                if (isExpired(r.columns().expiresAtMillis(), now)) {
                    em.remove(r);
                } else {
                    retained.add(r.columns().toMessage());
                }
            }
        }
        em.flush();
        sweep(em);
        return new Loaded(new StoredState(sessions, retained, endedWills), maxId + 1, maxCopyId);
    }

    /** Records {@code owner} on these sessions: a bulk update, as deleteSession may have detached the rows read. */
    private static void takeOwnership(EntityManager em, String owner, List<String> keys) {
        em.flush();
        for (int from = 0; from < keys.size(); from += OWNER_UPDATE_CHUNK) {
            em.createQuery("update SessionEntity s set s.ownerNode = :o where s.sessionKey in :keys")
                    .setParameter("o", owner)
                    .setParameter("keys", keys.subList(from, Math.min(keys.size(), from + OWNER_UPDATE_CHUNK)))
                    .executeUpdate();
        }
    }

    /** No expiry (not persistent), or offline for longer than its expiry interval. */
    private static boolean isOver(SessionEntity s, long now) {
        long expiry = s.expiryIntervalSeconds();
        if (expiry == 0) {
            return true;
        }
        return expiry != ConnectPacket.SESSION_NEVER_EXPIRES && s.offlineAtMillis() != 0
                && s.offlineAtMillis() + expiry * 1000 <= now;
    }

    private static boolean isExpired(long expiresAtMillis, long now) {
        return expiresAtMillis != 0 && expiresAtMillis <= now;
    }

    /** Deletes messages no copy refers to any more, and retained messages that expired. */
    static void sweep(EntityManager em) {
        em.createQuery("delete from MessageEntity m where not exists "
                + "(select o from OutboundEntity o where o.messageId = m.id)").executeUpdate();
        em.createQuery("delete from RetainedEntity r where r.columns.expiresAtMillis <> 0 "
                + "and r.columns.expiresAtMillis <= :now").setParameter("now", System.currentTimeMillis())
                .executeUpdate();
    }
}
