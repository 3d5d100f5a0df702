package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.UserProperty;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code hazelcast} store on real Hazelcast members (on the loopback interface, joined by TCP/IP): what one
 * node writes another reads, also after the node that wrote it was killed (its backups are on the others).
 */
class HazelcastSessionStoreTest {

    private static final String CLUSTER = "hzstore-test-" + UUID.randomUUID();
    private static final ExecutorService COMPLETIONS = Executors.newSingleThreadExecutor();
    private static HazelcastInstance first;
    private static HazelcastInstance second;
    private final List<HazelcastInstance> extra = new ArrayList<>();

    @BeforeAll
    static void startMembers() {
        first = member();
        second = member();
    }

    @AfterAll
    static void stopMembers() {
        second.getLifecycleService().terminate();
        first.getLifecycleService().terminate();
        COMPLETIONS.shutdown();
    }

    @AfterEach
    void clear() {
        extra.forEach(m -> m.getLifecycleService().terminate());
        for (String map : List.of(HazelcastSessionStore.SESSIONS, HazelcastSessionStore.COPIES,
                HazelcastSessionStore.SENT, HazelcastSessionStore.INBOUND, HazelcastSessionStore.RETAINED)) {
            first.getMap(map).clear();
        }
    }

    private static HazelcastInstance member() {
        return HazelcastMembers.member(CLUSTER);
    }

    private static HazelcastSessionStore store(HazelcastInstance member) {
        HazelcastSessionStore store = new HazelcastSessionStore(member, COMPLETIONS, ForkJoinPool.commonPool());
        assertThat(store.shareWith(member.getCluster().getLocalMember().getUuid().toString())).isTrue();
        return store;
    }

    private static Set<String> live(HazelcastInstance member) {
        Set<String> nodes = new java.util.HashSet<>();
        member.getCluster().getMembers().forEach(m -> nodes.add(m.getUuid().toString()));
        return nodes;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Message message(String topic, String payload, QoS qos, boolean retain, PublishProperties p) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, p, "pub");
    }

    private static Recipient to(String clientId, QoS qos) {
        return new Recipient(clientId, qos, false, List.of(), null);
    }

    @Test
    void whatANodeAcknowledgedSurvivesItsKillAndTheOldestNodeAdoptsItsSessions() throws Exception {
        HazelcastInstance doomed = member();
        extra.add(doomed);
        HazelcastSessionStore dying = store(doomed);
        PublishProperties properties = new PublishProperties(1, null, null, "reply/to", new byte[]{1, 2, 3},
                List.of(new UserProperty("k", "v")), List.of(), "text/plain");
        Subscription sub = new Subscription("sub", "a/#", QoS.EXACTLY_ONCE, true, true, 2, 7);
        Will will = new Will("will/sub", "bye".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, 5,
                PublishProperties.NONE);
        await(dying.sessionOpened("sub", true, 3600, will));
        await(dying.subscriptionsChanged("sub", List.of(sub)));
        long one = await(dying.messageAccepted(message("a/1", "one", QoS.AT_LEAST_ONCE, false, properties),
                List.of(new Recipient("sub", QoS.AT_LEAST_ONCE, true, List.of(7, 9), null))));
        long two = await(dying.messageAccepted(message("a/2", "two", QoS.EXACTLY_ONCE, false,
                PublishProperties.NONE), List.of(new Recipient("sub", QoS.EXACTLY_ONCE, false, List.of(),
                "$share/g/a/#"))));
        long three = await(dying.messageAccepted(message("a/3", "three", QoS.EXACTLY_ONCE, false,
                PublishProperties.NONE), List.of(to("sub", QoS.EXACTLY_ONCE))));
        long four = await(dying.messageAccepted(message("a/4", "four", QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE), List.of(to("sub", QoS.AT_LEAST_ONCE))));
        await(dying.outboundSent("sub", two, 12, QoS.EXACTLY_ONCE));
        await(dying.outboundReceived("sub", two));
        await(dying.outboundSent("sub", three, 13, QoS.EXACTLY_ONCE));
        await(dying.inboundReceived("sub", 42));
        await(dying.retainedChanged(message("r/1", "kept", QoS.AT_LEAST_ONCE, true, PublishProperties.NONE)));

        doomed.getLifecycleService().terminate(); // as a kill: no migration, the backups take over
        StoredState state = store(first).adopt(live(first), true);

        assertThat(state.sessions()).hasSize(1);
        StoredSession session = state.sessions().get(0);
        assertThat(session.clientId()).isEqualTo("sub");
        assertThat(session.expiryIntervalSeconds()).isEqualTo(3600);
        assertThat(session.offlineAtMillis()).isZero(); // it was online: offline from now
        assertThat(session.subscriptions()).containsExactly(sub);
        assertThat(session.awaitingRelease()).containsExactly(42);
        assertThat(session.will().will().topic()).isEqualTo("will/sub");
        assertThat(session.will().dueAtMillis()).isZero();
        assertThat(session.copies()).extracting(StoredCopy::messageId).containsExactly(one, two, three, four);
        StoredCopy copy = session.copies().get(0);
        assertThat(copy.packetId()).isZero();
        assertThat(copy.recipient()).isEqualTo(new Recipient("sub", QoS.AT_LEAST_ONCE, true, List.of(7, 9),
                null));
        assertThat(new String(copy.message().payload(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(copy.message().properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(copy.message().properties().correlationData()).containsExactly(1, 2, 3);
        assertThat(session.copies().get(1).packetId()).isEqualTo(12);
        assertThat(session.copies().get(1).released()).isTrue();
        assertThat(session.copies().get(1).recipient().sharedFilter()).isEqualTo("$share/g/a/#");
        assertThat(session.copies().get(2).packetId()).isEqualTo(13);
        assertThat(session.copies().get(2).released()).isFalse();
        assertThat(state.retained()).extracting(Message::topic).containsExactly("r/1");
    }

    @Test
    void aSessionMovesByHandOverAndTakeWithItsStateAndTheNewOwnerWritesOn() throws Exception {
        HazelcastSessionStore left = store(first);
        HazelcastSessionStore joined = store(second);
        Will will = new Will("w", new byte[0], QoS.AT_MOST_ONCE, false, 0, PublishProperties.NONE);
        await(left.sessionOpened("mover", false, 600, will));
        long before = await(left.messageAccepted(message("t", "before", QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE), List.of(to("mover", QoS.AT_LEAST_ONCE))));
        left.outboundSent("mover", before, 7, QoS.AT_LEAST_ONCE); // lazy: the hand-over makes it durable
        await(left.handOver("mover"));
        // the old node writes nothing about it any more
        assertThat(await(left.messageAccepted(message("t", "late", QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE), List.of(to("mover", QoS.AT_LEAST_ONCE))))).isZero();

        StoredSession taken = await(joined.takeSession("mover"));
        assertThat(taken.will()).isNull();
        assertThat(taken.copies()).extracting(StoredCopy::messageId).containsExactly(before);
        assertThat(taken.copies().get(0).packetId()).isEqualTo(7);
        await(joined.sessionOpened("mover", false, 600));
        long after = await(joined.messageAccepted(message("t", "after", QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE), List.of(to("mover", QoS.AT_LEAST_ONCE))));
        assertThat(after).isGreaterThan(before);
        await(joined.outboundDone("mover", before));
        await(joined.handOver("mover"));

        StoredSession back = await(left.takeSession("mover"));
        assertThat(back.copies()).extracting(StoredCopy::messageId).containsExactly(after);
        assertThat(await(left.takeSession("nobody"))).isNull();
    }

    @Test
    void cleanSessionsAreNotWrittenACleanStartDiscardsAndAnEndedSessionIsGone() throws Exception {
        HazelcastSessionStore store = store(first);
        await(store.sessionOpened("clean", true, 0));
        assertThat(await(store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                List.of(to("clean", QoS.AT_LEAST_ONCE))))).isZero();
        assertThat(first.getMap(HazelcastSessionStore.SESSIONS).containsKey("clean")).isFalse();

        await(store.sessionOpened("p", true, 60));
        await(store.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                List.of(to("p", QoS.AT_LEAST_ONCE))));
        await(store.inboundReceived("p", 3));
        await(store.sessionOpened("p", true, 60)); // clean start
        assertThat(first.getMap(HazelcastSessionStore.COPIES).size()).isZero();
        assertThat(first.getMap(HazelcastSessionStore.INBOUND).size()).isZero();
        assertThat(first.getMap(HazelcastSessionStore.SESSIONS).containsKey("p")).isTrue();

        await(store.messageAccepted(message("t", "y", QoS.EXACTLY_ONCE, false, PublishProperties.NONE),
                List.of(to("p", QoS.EXACTLY_ONCE))));
        await(store.sessionOpened("p", false, 0)); // a persistent session that turns clean is forgotten
        assertThat(first.getMap(HazelcastSessionStore.SESSIONS).size()).isZero();
        assertThat(first.getMap(HazelcastSessionStore.COPIES).size()).isZero();

        await(store.sessionOpened("e", true, 60));
        await(store.inboundReceived("e", 1));
        await(store.sessionEnded("e"));
        assertThat(first.getMap(HazelcastSessionStore.SESSIONS).size()).isZero();
        assertThat(first.getMap(HazelcastSessionStore.INBOUND).size()).isZero();
    }

    @Test
    void aSessionThisNodeDidNotTakeStartsAfreshAndWhatWasStoredForItIsDiscarded() throws Exception {
        HazelcastSessionStore elsewhere = store(second);
        await(elsewhere.sessionOpened("c", true, 60));
        await(elsewhere.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                List.of(to("c", QoS.AT_LEAST_ONCE))));
        HazelcastSessionStore here = store(first);
        await(here.sessionOpened("c", false, 60)); // not taken: this node starts it afresh, as in memory
        assertThat(first.getMap(HazelcastSessionStore.COPIES).size()).isZero();
        assertThat(await(here.takeSession("c")).copies()).isEmpty();
    }

    @Test
    void anAdoptedSessionWhoseExpiryPassedIsRemovedAndItsWillHandedOn() throws Exception {
        HazelcastInstance doomed = member();
        extra.add(doomed);
        HazelcastSessionStore dying = store(doomed);
        Will will = new Will("will/gone", new byte[]{1}, QoS.AT_MOST_ONCE, false, 0, PublishProperties.NONE);
        await(dying.sessionOpened("gone", true, 60, will));
        await(dying.inboundReceived("gone", 9));
        await(dying.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                List.of(to("gone", QoS.AT_LEAST_ONCE))));
        await(dying.sessionOffline("gone", 60, System.currentTimeMillis() - 61_000,
                new StoredState.StoredWill(will, System.currentTimeMillis() - 1000)));
        await(dying.sessionOpened("kept", true, 60));
        await(dying.sessionOffline("kept", 60, System.currentTimeMillis() - 50_000));
        long expired = await(dying.messageAccepted(new Message("t", new byte[0], QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE, "pub", System.currentTimeMillis() - 1), List.of(to("kept",
                QoS.AT_LEAST_ONCE))));
        assertThat(expired).isPositive();
        doomed.getLifecycleService().terminate();

        StoredState state = store(first).adopt(live(first), false);
        assertThat(state.sessions()).extracting(StoredSession::clientId).containsExactly("kept");
        assertThat(state.sessions().get(0).copies()).isEmpty(); // expired: not sent (MQTT-3.3.2-5)
        assertThat(state.endedWills()).containsOnlyKeys("gone");
        assertThat(state.retained()).isEmpty();
        assertThat(first.getMap(HazelcastSessionStore.SESSIONS).keySet()).containsExactly("kept");
        assertThat(first.getMap(HazelcastSessionStore.INBOUND).size()).isZero();
    }

    @Test
    void liveNodesKeepTheirSessionsAndMessageIdsAreUniqueAcrossNodes() throws Exception {
        HazelcastSessionStore one = store(first);
        HazelcastSessionStore two = store(second);
        await(one.sessionOpened("a", true, 60));
        await(two.sessionOpened("b", true, 60));
        assertThat(one.adopt(live(first), false).sessions()).isEmpty(); // b's node is alive

        Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(await(one.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("a", QoS.AT_LEAST_ONCE)))));
            ids.add(await(two.messageAccepted(message("t", "x", QoS.AT_LEAST_ONCE, false, PublishProperties.NONE),
                    List.of(to("b", QoS.AT_LEAST_ONCE)))));
        }
        assertThat(ids).hasSize(400);
    }

    @Test
    void retainedMessagesAreSetReplacedDeletedAndExpiredOnesDropped() throws Exception {
        HazelcastSessionStore store = store(first);
        await(store.retainedChanged(message("r", "1", QoS.AT_MOST_ONCE, true, PublishProperties.NONE)));
        await(store.retainedChanged(message("r", "2", QoS.AT_MOST_ONCE, true, PublishProperties.NONE)));
        await(store.retainedChanged(message("gone", "x", QoS.AT_MOST_ONCE, true, PublishProperties.NONE)));
        await(store.retainedChanged(message("gone", "", QoS.AT_MOST_ONCE, true, PublishProperties.NONE)));
        await(store.retainedChanged(new Message("old", new byte[]{1}, QoS.AT_MOST_ONCE, true,
                PublishProperties.NONE, "pub", System.currentTimeMillis() - 1)));

        StoredState state = store(second).adopt(live(second), true);
        assertThat(state.retained()).extracting(m -> m.topic() + "=" + new String(m.payload(),
                StandardCharsets.UTF_8)).containsExactly("r=2");
        assertThat(first.getMap(HazelcastSessionStore.RETAINED).keySet()).containsExactly("r");
    }

    @Test
    void stagesCompleteOffHazelcastsThreadsSoThatWhatFollowsMayCallHazelcastAgain() throws Exception {
        HazelcastSessionStore store = store(first);
        await(store.sessionOpened("s", true, 60));
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<CompletionStage<Void>> chained = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chained.add(store.messageAccepted(message("t", "x", QoS.EXACTLY_ONCE, false, PublishProperties.NONE),
                    List.of(to("s", QoS.EXACTLY_ONCE))).thenCompose(id -> {
                        threads.add(Thread.currentThread().getName());
                        return store.outboundSent("s", id, 1, QoS.EXACTLY_ONCE); // a remote call for some keys
                    }));
        }
        for (CompletionStage<Void> stage : chained) {
            await(stage);
        }
        assertThat(threads).noneMatch(name -> name.startsWith("hz."));
    }

    @Test
    void theMapsKeepOneSynchronousBackup() {
        store(first);
        for (String map : List.of(HazelcastSessionStore.SESSIONS, HazelcastSessionStore.COPIES,
                HazelcastSessionStore.SENT, HazelcastSessionStore.INBOUND, HazelcastSessionStore.RETAINED)) {
            assertThat(first.getConfig().findMapConfig(map).getBackupCount()).as(map).isEqualTo(1);
            assertThat(first.getConfig().findMapConfig(map).getAsyncBackupCount()).as(map).isZero();
        }
    }
}
