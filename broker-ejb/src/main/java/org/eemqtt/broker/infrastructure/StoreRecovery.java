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

    record Loaded(StoredState state, long nextMessageId) {
    }

    private StoreRecovery() {
    }

    static Loaded load(EntityManagerFactory factory, long now) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            Loaded loaded = load(em, now);
            tx.commit();
            return loaded;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    private static Loaded load(EntityManager em, long now) {
        Map<String, SessionEntity> live = new HashMap<>();
        Map<String, Will> endedWills = new HashMap<>();
        for (SessionEntity s : em.createQuery("select s from SessionEntity s", SessionEntity.class).getResultList()) {
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
        Map<Long, Message> messages = new HashMap<>();
        long maxId = 0;
        for (MessageEntity m : em.createQuery("select m from MessageEntity m", MessageEntity.class)
                .getResultList()) {
            maxId = Math.max(maxId, m.id());
            if (!isExpired(m.columns().expiresAtMillis(), now)) {
                messages.put(m.id(), m.columns().toMessage());
            }
        }
        Map<String, List<StoredCopy>> copies = new HashMap<>();
        for (OutboundEntity o : em.createQuery("select o from OutboundEntity o order by o.sessionKey, o.messageId",
                OutboundEntity.class).getResultList()) {
            SessionEntity session = live.get(o.sessionKey());
            Message message = messages.get(o.messageId());
            if (session == null || message == null) {
                em.remove(o); // of an ended session, or expired (MQTT-3.3.2-5: not sent once expired)
                continue;
            }
            copies.computeIfAbsent(o.sessionKey(), k -> new ArrayList<>()).add(new StoredCopy(o.messageId(), message,
                    o.toRecipient(session.clientId()), o.packetId(), o.isReleased()));
        }
        Map<String, Set<Integer>> awaiting = new HashMap<>();
        for (InboundEntity i : em.createQuery("select i from InboundEntity i", InboundEntity.class)
                .getResultList()) {
            if (live.containsKey(i.sessionKey())) {
                awaiting.computeIfAbsent(i.sessionKey(), k -> new TreeSet<>()).add(i.packetId());
            } else {
                em.remove(i);
            }
        }
        List<StoredSession> sessions = new ArrayList<>(live.size());
        live.forEach((key, s) -> sessions.add(new StoredSession(s.clientId(), s.expiryIntervalSeconds(),
                s.offlineAtMillis(), s.subscriptionList(), copies.getOrDefault(key, List.of()),
                awaiting.getOrDefault(key, Set.of()), s.storedWill())));
        List<Message> retained = new ArrayList<>();
        for (RetainedEntity r : em.createQuery("select r from RetainedEntity r", RetainedEntity.class)
                .getResultList()) {
            if (isExpired(r.columns().expiresAtMillis(), now)) {
                em.remove(r);
            } else {
                retained.add(r.columns().toMessage());
            }
        }
        em.flush();
        sweep(em);
        return new Loaded(new StoredState(sessions, retained, endedWills), maxId + 1);
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
