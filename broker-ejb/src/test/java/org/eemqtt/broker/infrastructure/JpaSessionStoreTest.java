package org.eemqtt.broker.infrastructure;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Mapping round trips: what one store writes, a store opened later on the same H2 file reads back. */
class JpaSessionStoreTest {

    @TempDir
    Path dir;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Message message(String topic, String payload, QoS qos, boolean retain, PublishProperties p) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, p, "pub");
    }

    private static Recipient to(String clientId, QoS qos) {
        return new Recipient(clientId, qos, false, List.of(), null);
    }

    private StoredState reopen() {
        try (H2Store h2 = new H2Store(dir)) {
            return h2.store.load();
        }
    }

    @Test
    void aSessionWhoseExpiryPassedWhileTheBrokerWasDownIsPurgedWithItsCopies() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("gone", true, 60));
            await(h2.store.sessionOpened("kept", true, 60));
            await(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("gone", QoS.AT_LEAST_ONCE))));
            await(h2.store.inboundReceived("gone", 1));
            await(h2.store.sessionOffline("gone", 60, System.currentTimeMillis() - 61_000));
            await(h2.store.sessionOffline("kept", 60, System.currentTimeMillis() - 50_000));
        }
        try (H2Store h2 = new H2Store(dir)) {
            assertThat(h2.store.load().sessions()).extracting(StoredSession::clientId).containsExactly("kept");
            assertThat(count(h2, "OutboundEntity")).isZero();
            assertThat(count(h2, "InboundEntity")).isZero();
            assertThat(count(h2, "MessageEntity")).isZero();
        }
    }

    @Test
    void sessionRoundTrip() throws Exception {
        PublishProperties properties = new PublishProperties(1, null, null, "reply/to", new byte[]{1, 2, 3},
                List.of(new UserProperty("k", "v")), List.of(), "text/plain");
        Subscription sub = new Subscription("sub", "a/#", QoS.EXACTLY_ONCE, true, true, 2, 7);
        long first;
        long second;
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("sub", true, 3600));
            await(h2.store.subscriptionsChanged("sub", List.of(sub)));
            first = await(h2.store.messageAccepted(message("a/1", "one", QoS.AT_LEAST_ONCE, false, properties),
                    List.of(new Recipient("sub", QoS.AT_LEAST_ONCE, true, List.of(7, 9), null))));
            second = await(h2.store.messageAccepted(message("a/2", "two", QoS.EXACTLY_ONCE, false,
                    PublishProperties.NONE), List.of(new Recipient("sub", QoS.EXACTLY_ONCE, false, List.of(),
                    "$share/g/a/#"))));
            long third = await(h2.store.messageAccepted(message("a/3", "three", QoS.EXACTLY_ONCE, false,
                    PublishProperties.NONE), List.of(to("sub", QoS.EXACTLY_ONCE))));
            await(h2.store.outboundSent("sub", first, 11, QoS.AT_LEAST_ONCE));
            await(h2.store.outboundSent("sub", second, 12, QoS.EXACTLY_ONCE));
            await(h2.store.outboundReceived("sub", second));
            await(h2.store.outboundDone("sub", third));
            await(h2.store.inboundReceived("sub", 42));
            await(h2.store.inboundReceived("sub", 43));
            await(h2.store.releaseReceived("sub", 43));
            await(h2.store.sessionOffline("sub", 7200, System.currentTimeMillis()));
        }

        StoredState state = reopen();
        assertThat(state.sessions()).hasSize(1);
        StoredSession session = state.sessions().get(0);
        assertThat(session.clientId()).isEqualTo("sub");
        assertThat(session.expiryIntervalSeconds()).isEqualTo(7200);
        assertThat(session.offlineAtMillis()).isPositive();
        assertThat(session.subscriptions()).containsExactly(sub);
        assertThat(session.awaitingRelease()).containsExactly(42);
        assertThat(session.copies()).extracting(StoredCopy::messageId).containsExactly(first, second);
        StoredCopy one = session.copies().get(0);
        assertThat(one.packetId()).isEqualTo(11);
        assertThat(one.released()).isFalse();
        assertThat(one.recipient()).isEqualTo(new Recipient("sub", QoS.AT_LEAST_ONCE, true, List.of(7, 9), null));
        assertThat(one.message().topic()).isEqualTo("a/1");
        assertThat(new String(one.message().payload(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(one.message().properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(one.message().properties().correlationData()).containsExactly(1, 2, 3);
        assertThat(one.message().properties().responseTopic()).isEqualTo("reply/to");
        assertThat(one.message().properties().contentType()).isEqualTo("text/plain");
        assertThat(one.message().properties().payloadFormatIndicator()).isEqualTo(1);
        StoredCopy two = session.copies().get(1);
        assertThat(two.packetId()).isEqualTo(12);
        assertThat(two.released()).isTrue();
        assertThat(two.recipient().sharedFilter()).isEqualTo("$share/g/a/#");
    }

    @Test
    void aMessageIsStoredOnceForAllItsCopiesAndGoesWithTheLastOne() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            for (String id : List.of("s1", "s2", "s3")) {
                await(h2.store.sessionOpened(id, true, ConnectPacket.SESSION_NEVER_EXPIRES));
            }
            long id = await(h2.store.messageAccepted(message("t", "shared payload", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("s1", QoS.AT_LEAST_ONCE), to("s2", QoS.AT_LEAST_ONCE),
                    to("s3", QoS.AT_LEAST_ONCE), to("clean", QoS.AT_LEAST_ONCE), to("qos0", QoS.AT_MOST_ONCE))));
            assertThat(count(h2, "MessageEntity")).isEqualTo(1);
            assertThat(count(h2, "OutboundEntity")).isEqualTo(3); // not for the clean session, nor at QoS 0
            await(h2.store.outboundDone("s1", id));
            await(h2.store.outboundDone("s2", id));
            await(h2.store.writer().submit(StoreRecovery::sweep));
            assertThat(count(h2, "MessageEntity")).isEqualTo(1);
            await(h2.store.outboundDone("s3", id));
            assertThat(count(h2, "MessageEntity")).isZero(); // with its last copy, not left for the sweep
        }
    }

    @Test
    void copyWritesOfOneBatchAreFoldedAndLandAsIfWrittenOneByOne() throws Exception {
        long a;
        long b;
        long c;
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("sub", true, 3600));
            a = await(h2.store.messageAccepted(message("t/a", "a", QoS.EXACTLY_ONCE, false, PublishProperties.NONE),
                    List.of(to("sub", QoS.EXACTLY_ONCE))));
            b = await(h2.store.messageAccepted(message("t/b", "b", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("sub", QoS.AT_LEAST_ONCE))));
            c = await(h2.store.messageAccepted(message("t/c", "c", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("sub", QoS.AT_LEAST_ONCE))));
            // hold the writer so that what follows goes as one batch
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            h2.store.writer().submit(em -> {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            long batchesBefore = h2.store.writer().batches();
            List<CompletionStage<Void>> stages = List.of(h2.store.outboundSent("sub", a, 1, QoS.EXACTLY_ONCE),
                    h2.store.outboundReceived("sub", a), h2.store.outboundSent("sub", b, 2, QoS.AT_LEAST_ONCE),
                    h2.store.outboundDone("sub", b), h2.store.outboundSent("sub", c, 3, QoS.EXACTLY_ONCE),
                    h2.store.outboundSent("sub", c, 4, QoS.EXACTLY_ONCE));
            release.countDown();
            for (CompletionStage<Void> stage : stages) {
                await(stage);
            }
            assertThat(h2.store.writer().batches() - batchesBefore).isEqualTo(2); // the held one and ours
            assertThat(count(h2, "MessageEntity")).isEqualTo(2);
        }
        StoredSession session = reopen().sessions().get(0);
        assertThat(session.copies()).extracting(StoredCopy::messageId).containsExactly(a, c);
        assertThat(session.copies()).extracting(StoredCopy::packetId).containsExactly(1, 4);
        assertThat(session.copies()).extracting(StoredCopy::released).containsExactly(true, false);
    }

    @Test
    void cleanSessionsAreNotWrittenAndAPersistentOneThatTurnsCleanIsDeleted() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("qos0", true, 60));
            long writes = h2.store.writer().operations();
            assertThat(h2.store.sessionOpened("clean", true, 0).toCompletableFuture()).isDone();
            assertThat(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("clean", QoS.AT_LEAST_ONCE))).toCompletableFuture())
                    .isCompletedWithValue(0L);
            assertThat(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("qos0", QoS.AT_MOST_ONCE))).toCompletableFuture())
                    .isCompletedWithValue(0L);
            assertThat(h2.store.subscriptionsChanged("clean", List.of()).toCompletableFuture()).isDone();
            assertThat(h2.store.writer().operations()).isEqualTo(writes); // nothing reached the writer
            await(h2.store.sessionOpened("p", true, 60));
            await(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("p", QoS.AT_LEAST_ONCE))));
            await(h2.store.sessionOpened("p", false, 0));
            assertThat(count(h2, "SessionEntity")).isEqualTo(1); // qos0's only
            assertThat(count(h2, "OutboundEntity")).isZero();
        }
        assertThat(reopen().sessions()).extracting(StoredSession::clientId).containsExactly("qos0");
    }

    @Test
    void aCleanStartDiscardsWhatWasStoredAndAnEndedSessionIsGone() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("p", true, 60));
            await(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("p", QoS.AT_LEAST_ONCE))));
            await(h2.store.inboundReceived("p", 5));
            await(h2.store.sessionOpened("p", true, 60));
            assertThat(count(h2, "OutboundEntity")).isZero();
            assertThat(count(h2, "InboundEntity")).isZero();
            await(h2.store.sessionOpened("q", true, 60));
            await(h2.store.sessionEnded("q"));
        }
        StoredState state = reopen();
        assertThat(state.sessions()).extracting(StoredSession::clientId).containsExactly("p");
        assertThat(state.sessions().get(0).copies()).isEmpty();
    }

    @Test
    void retainedMessagesAreSetReplacedDeletedAndPurgedWhenExpired() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.retainedChanged(message("r/1", "first", QoS.AT_LEAST_ONCE, true, PublishProperties.NONE)));
            await(h2.store.retainedChanged(message("r/1", "second", QoS.EXACTLY_ONCE, true, PublishProperties.NONE)));
            await(h2.store.retainedChanged(message("r/2", "gone", QoS.AT_LEAST_ONCE, true, PublishProperties.NONE)));
            await(h2.store.retainedChanged(message("r/2", "", QoS.AT_LEAST_ONCE, true, PublishProperties.NONE)));
            await(h2.store.retainedChanged(new Message("r/3", "expired".getBytes(), QoS.AT_LEAST_ONCE, true,
                    PublishProperties.NONE.withMessageExpiryInterval(1L), "pub", System.currentTimeMillis() - 1)));
            String longTopic = "l/" + "x".repeat(70_000);
            await(h2.store.retainedChanged(message(longTopic, "long", QoS.AT_MOST_ONCE, true,
                    PublishProperties.NONE)));
        }
        List<Message> retained = reopen().retained();
        assertThat(retained).extracting(Message::topic).containsExactlyInAnyOrder("r/1", "l/" + "x".repeat(70_000));
        Message first = retained.stream().filter(m -> m.topic().equals("r/1")).findFirst().orElseThrow();
        assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("second");
        assertThat(first.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(first.retain()).isTrue();
    }

    @Test
    void messageIdsGoOnAfterARestartAndExpiredCopiesAreDropped() throws Exception {
        long before;
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("p", true, ConnectPacket.SESSION_NEVER_EXPIRES));
            before = await(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("p", QoS.AT_LEAST_ONCE))));
            await(h2.store.messageAccepted(new Message("t", "old".getBytes(), QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE.withMessageExpiryInterval(1L), "pub", System.currentTimeMillis() - 1),
                    List.of(to("p", QoS.AT_LEAST_ONCE))));
        }
        try (H2Store h2 = new H2Store(dir)) {
            StoredState state = h2.store.load();
            assertThat(state.sessions().get(0).copies()).extracting(StoredCopy::messageId).containsExactly(before);
            long after = await(h2.store.messageAccepted(message("t", "y", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("p", QoS.AT_LEAST_ONCE))));
            assertThat(after).isGreaterThan(before + 1);
        }
    }

    @Test
    void aSessionsWillIsKeptWhileItsConnectionIsOpenThenAsPendingUntilDoneAndHandedOnWhenItsSessionEnded()
            throws Exception {
        PublishProperties properties = new PublishProperties(null, 30L, null, null, null,
                List.of(new UserProperty("k", "v")), List.of(), null);
        Will will = new Will("will/t", "gone".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, true, 5,
                properties);
        long now = System.currentTimeMillis();
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("open", true, 3600, will));
            await(h2.store.sessionOpened("pending", true, 3600, will));
            await(h2.store.sessionOffline("pending", 3600, now, new StoredWill(will, now + 5_000)));
            await(h2.store.sessionOpened("done", true, 3600, will));
            await(h2.store.sessionOffline("done", 3600, now, new StoredWill(will, now + 5_000)));
            await(h2.store.willDone("done"));
            await(h2.store.sessionOpened("discarded", true, 3600, will));
            await(h2.store.sessionOffline("discarded", 3600, System.currentTimeMillis()));
            await(h2.store.sessionOpened("resumed", true, 3600, will));
            await(h2.store.sessionOpened("resumed", false, 3600));
            await(h2.store.sessionOpened("expired", true, 60, will));
            await(h2.store.sessionOffline("expired", 60, System.currentTimeMillis() - 61_000,
                    new StoredWill(will, System.currentTimeMillis() - 56_000)));
        }
        StoredState state = reopen();
        java.util.Map<String, StoredWill> wills = new java.util.HashMap<>();
        state.sessions().forEach(s -> wills.put(s.clientId(), s.will()));
        assertThat(wills).containsOnlyKeys("open", "pending", "done", "discarded", "resumed");
        StoredWill open = wills.get("open");
        assertThat(open.dueAtMillis()).isZero(); // its connection was open: due its delay after the next start
        assertThat(open.will().topic()).isEqualTo("will/t");
        assertThat(open.will().payload()).isEqualTo("gone".getBytes(StandardCharsets.UTF_8));
        assertThat(open.will().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(open.will().retain()).isTrue();
        assertThat(open.will().delayIntervalSeconds()).isEqualTo(5);
        assertThat(open.will().properties().messageExpiryInterval()).isEqualTo(30L);
        assertThat(open.will().properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(wills.get("pending").dueAtMillis()).isEqualTo(now + 5_000);
        assertThat(wills.get("done")).isNull();
        assertThat(wills.get("discarded")).isNull();
        assertThat(wills.get("resumed")).isNull(); // the new connection had none
        assertThat(state.endedWills()).containsOnlyKeys("expired");
        assertThat(state.endedWills().get("expired").topic()).isEqualTo("will/t");
    }

    @Test
    void aLazyPacketIdentifierIsHeldBackFromItsBatchAndWrittenOnceTheWriterIdles() throws Exception {
        try (H2Store h2 = new H2Store(dir)) {
            h2.store.load();
            await(h2.store.sessionOpened("sub", true, 3600));
            long id = await(h2.store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false,
                    PublishProperties.NONE), List.of(to("sub", QoS.AT_LEAST_ONCE))));
            await(h2.store.outboundSent("sub", id, 7, QoS.AT_LEAST_ONCE));
            assertThat(packetIds(h2)).containsExactly(0); // its batch committed without it (the writer idles 200 ms)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!packetIds(h2).equals(List.of(7)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(packetIds(h2)).containsExactly(7);
        }
    }

    private static List<Integer> packetIds(H2Store h2) {
        var em = h2.factory.createEntityManager();
        try {
            return em.createQuery("select o.packetId from OutboundEntity o order by o.messageId", Integer.class)
                    .getResultList();
        } finally {
            em.close();
        }
    }

    private static long count(H2Store h2, String entity) {
        var em = h2.factory.createEntityManager();
        try {
            return em.createQuery("select count(e) from " + entity + " e", Long.class).getSingleResult();
        } finally {
            em.close();
        }
    }
}
