package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The group-commit writer against a real H2 file database. */
class StoreWriterTest {

    @TempDir
    Path dir;

    private EntityManagerFactory factory;
    private StoreWriter writer;

    @BeforeEach
    void open() {
        factory = JpaStorage.openFactory("jdbc:h2:file:" + dir.resolve("mqtt") + ";WRITE_DELAY=0", "sa", "");
        writer = new StoreWriter(factory, Executors.defaultThreadFactory(), 1000, null, 60_000);
    }

    @AfterEach
    void close() {
        writer.close();
        factory.close();
    }

    private static Message message(int i) {
        return new Message("t/" + i, ("payload " + i).getBytes(), QoS.AT_LEAST_ONCE, false, PublishProperties.NONE,
                "p", 0);
    }

    private long countMessages() {
        EntityManager em = factory.createEntityManager();
        try {
            return em.createQuery("select count(m) from MessageEntity m", Long.class).getSingleResult();
        } finally {
            em.close();
        }
    }

    @Test
    void manyOperationsShareFewCommitsAndCompleteInOrderAfterTheirCommit() throws Exception {
        // hold the writer in its first batch so that the rest piles up and goes as one batch
        CountDownLatch inFirstBatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer.submit(em -> {
            inFirstBatch.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(inFirstBatch.await(10, TimeUnit.SECONDS)).isTrue();
        List<Integer> completionOrder = Collections.synchronizedList(new ArrayList<>());
        List<Long> visibleAtCompletion = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            int n = i;
            all.add(writer.submit(em -> em.persist(new MessageEntity(n, message(n)))).thenRun(() -> {
                completionOrder.add(n);
                if (n == 1) {
                    visibleAtCompletion.add(countMessages()); // committed: another connection sees the batch
                }
            }).toCompletableFuture());
        }
        release.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(writer.operations()).isEqualTo(501);
        assertThat(writer.batches()).isLessThanOrEqualTo(3);
        assertThat(completionOrder).hasSize(500).isSorted();
        assertThat(visibleAtCompletion).containsExactly(500L);
    }

    @Test
    void aFailingOperationFailsAloneAndTheOthersOfItsBatchCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        writer.submit(em -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Void> first = writer.submit(em -> em.persist(new MessageEntity(1, message(1))))
                .toCompletableFuture();
        CompletableFuture<Void> bad = writer.submit(em -> {
            throw new IllegalStateException("bad operation");
        }).toCompletableFuture();
        CompletableFuture<Void> last = writer.submit(em -> em.persist(new MessageEntity(2, message(2))))
                .toCompletableFuture();
        release.countDown();

        last.get(10, TimeUnit.SECONDS);
        first.get(10, TimeUnit.SECONDS);
        assertThat(bad).isCompletedExceptionally();
        assertThat(countMessages()).isEqualTo(2);
    }

    @Test
    void housekeepingRunsUnderSteadyLoadToo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (StoreWriter busy = new StoreWriter(factory, Executors.defaultThreadFactory(), 10,
                em -> runs.incrementAndGet(), 50)) {
            long end = System.currentTimeMillis() + 600;
            CompletableFuture<Void> last = null;
            while (System.currentTimeMillis() < end) {
                // never idle: the next operation is queued before the previous one completes
                last = busy.submit(em -> em.createQuery("select count(m) from MessageEntity m").getSingleResult())
                        .toCompletableFuture();
                Thread.sleep(1);
            }
            last.get(10, TimeUnit.SECONDS);
        }
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void closeWritesWhatIsQueued() throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int n = i;
            all.add(writer.submit(em -> em.persist(new MessageEntity(n, message(n)))).toCompletableFuture());
        }
        writer.close();
        assertThat(countMessages()).isEqualTo(100);
        assertThat(writer.submit(em -> { }).toCompletableFuture()).isCompletedExceptionally();
    }
}
