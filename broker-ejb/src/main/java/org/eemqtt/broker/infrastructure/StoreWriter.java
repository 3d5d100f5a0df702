package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.SQLException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: one writer thread drains the pending operations and runs them in one transaction per batch, then
 * completes each operation's stage, so that the network threads never wait for the disk and one disk sync serves
 * many acknowledgements. Operations run in submission order and their stages complete in that order, on one
 * completion thread (the writer meanwhile commits the next batch); a callback must therefore not block.
 * Operations are JPA work or, on the hot path, {@link CopyWrites} collected and sent in plain JDBC batches before
 * the next JPA work of the batch and before the commit.
 * When a batch fails, its operations are retried one per transaction, so that one bad operation fails alone.
 * Between two batches, the writer runs the housekeeping operation every {@code housekeepingMillis}.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StoreWriter.class.getName());

    /** Database work of one operation, inside the batch's transaction; it must not touch memory shared elsewhere. */
    @FunctionalInterface
    interface Work {
        void apply(EntityManager em);
    }

    /** Hot-path work: it only records writes of messages and copies, sent later in the batch's transaction. */
    @FunctionalInterface
    interface CopyWork {
        void apply(CopyWrites writes);
    }

    private record Op(Work work, CopyWork copyWork, CompletableFuture<Void> done) {
    }

    private final EntityManagerFactory factory;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final ExecutorService completer;
    private final Thread thread;
    private final int maxBatch;
    private final Work housekeeping;
    private final long housekeepingMillis;
    private final CopyWrites copies = new CopyWrites(); // the writer thread's, reused batch after batch
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private volatile boolean closed;

    StoreWriter(EntityManagerFactory factory, ThreadFactory threads, int maxBatch, Work housekeeping,
                long housekeepingMillis) {
        this.factory = factory;
        this.maxBatch = maxBatch;
        this.housekeeping = housekeeping;
        this.housekeepingMillis = housekeepingMillis;
        this.completer = Executors.newSingleThreadExecutor(threads);
        this.thread = threads.newThread(this::run);
        thread.setName("mqtt-store-writer");
        thread.start();
    }

    /** Queues {@code work}; the stage completes once its transaction committed (or fails if it did not). */
    CompletionStage<Void> submit(Work work) {
        return submit(work, null);
    }

    /** Queues hot-path writes; the stage completes once their transaction committed. */
    CompletionStage<Void> submitCopies(CopyWork work) {
        return submit(null, work);
    }

    private CompletionStage<Void> submit(Work work, CopyWork copyWork) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("store closed"));
            return done;
        }
        queue.add(new Op(work, copyWork, done));
        return done;
    }

    long batches() {
        return batches.get();
    }

    long operations() {
        return operations.get();
    }

    private void run() {
        long nextHousekeeping = System.currentTimeMillis() + housekeepingMillis;
        List<Op> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                // due housekeeping goes between two batches, busy or idle: under steady load the queue is never empty
                if (housekeeping != null && System.currentTimeMillis() >= nextHousekeeping) {
                    nextHousekeeping = System.currentTimeMillis() + housekeepingMillis;
                    commit(List.of(new Op(housekeeping, null, new CompletableFuture<>())));
                }
                Op first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (copies.hasHeldBack()) {
                        commit(List.of()); // lazy writes held back for a next batch that did not come
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "Store writer failed", e); // keeps writing: the next batch may succeed
            } finally {
                batch.clear();
            }
        }
        copies.holdNothingBack();
        if (!copies.isEmpty()) {
            commit(List.of());
        }
    }

    private void commit(List<Op> batch) {
        try {
            inTransaction(batch);
            batches.incrementAndGet();
            operations.addAndGet(batch.size());
            List<Op> committed = List.copyOf(batch);
            completer.execute(() -> committed.forEach(op -> op.done.complete(null)));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                LOG.log(Level.WARNING, "Store operation failed", e);
                Op op = batch.get(0);
                completer.execute(() -> op.done.completeExceptionally(e));
                return;
            }
            LOG.log(Level.WARNING, "Store batch of " + batch.size() + " failed; retrying its operations one by one", e);
            for (Op op : batch) {
                commit(List.of(op));
            }
        }
    }

    private void inTransaction(List<Op> batch) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        boolean committed = false;
        try {
            tx.begin();
            for (Op op : batch) {
                if (op.copyWork != null) {
                    op.copyWork.apply(copies);
                } else {
                    flushCopies(em);
                    op.work.apply(em);
                }
            }
            flushCopies(em);
            tx.commit();
            committed = true;
        } finally {
            if (!committed) {
                copies.clear(true); // lazy writes held back are lost with the batch, as lazy writes may be
            }
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    /** Sends the collected hot-path writes on the transaction's connection, after what JPA holds back. */
    private void flushCopies(EntityManager em) {
        if (copies.isEmpty()) {
            return;
        }
        em.flush();
        try {
            copies.flush(em.unwrap(Connection.class));
        } catch (SQLException e) {
            throw new PersistenceException("Writing messages and copies failed", e);
        }
    }

    /** Writes what is queued, then stops (waiting 10 s at most). */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completer.shutdown();
    }
}
