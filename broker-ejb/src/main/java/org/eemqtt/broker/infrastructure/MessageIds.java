package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.util.function.Consumer;

/**
 * Message store identifiers of a store that several nodes share: each node takes blocks from the database's
 * {@link IdBlockEntity} row, so identifiers are unique across nodes, and a block is always above every block
 * reserved before it, so identifiers grow with acceptance on each node. A node that takes a session holding copies
 * with identifiers at or above its own next one (accepted by a node with a later block) takes a fresh block: the
 * copies it accepts for the session next then sort after them, as a load orders copies by identifier.
 */
final class MessageIds {

    static final long BLOCK = 1L << 24;

    private long next;
    private long end;
    private boolean refilling;

    /** The next identifier; asks {@code refill} for a next block (in the writer's order) once half of this one is used. */
    synchronized long next(Consumer<MessageIds> refill) {
        if (next >= end) {
            // 16 million identifiers went before the refill asked at half of them came back: wait for it
            while (next >= end) {
                if (!refilling) {
                    refilling = true;
                    refill.accept(this);
                }
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for message identifiers", e);
                }
            }
        }
        if (!refilling && end - next <= BLOCK / 2) {
            refilling = true;
            refill.accept(this);
        }
        return next++;
    }

    /** Reserves a block inside {@code em}'s transaction and uses it from now on. */
    void reserve(EntityManager em) {
        long first = reserveBlock(em);
        synchronized (this) {
            next = first;
            end = first + BLOCK;
            refilling = false;
            notifyAll();
        }
    }

    /** The writer could not reserve a block: the next identifier asks again. */
    synchronized void refillFailed() {
        refilling = false;
    }

    /** Whether copies with identifiers up to {@code maxId} sort before the next identifier of this node. */
    synchronized boolean isAbove(long maxId) {
        return next > maxId;
    }

    private static long reserveBlock(EntityManager em) {
        IdBlockEntity row = em.find(IdBlockEntity.class, IdBlockEntity.ROW, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            // the first node on this database: above every identifier stored by a single-node run before
            Long max = em.createQuery("select max(m.id) from MessageEntity m", Long.class).getSingleResult();
            Long maxCopy = em.createQuery("select max(o.messageId) from OutboundEntity o", Long.class)
                    .getSingleResult();
            long start = Math.max(max == null ? 0 : max, maxCopy == null ? 0 : maxCopy) + 1;
            row = new IdBlockEntity(start);
            em.persist(row);
        }
        return row.reserve(BLOCK);
    }
}
