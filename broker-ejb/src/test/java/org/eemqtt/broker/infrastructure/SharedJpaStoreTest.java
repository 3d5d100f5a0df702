package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManagerFactory;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two stores on one database, as two cluster nodes sharing a MySQL/MariaDB: ownership, handover, identifiers. */
class SharedJpaStoreTest {

    private final String url = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final List<AutoCloseable> closing = new ArrayList<>();

    private JpaSessionStore node(String id) {
        EntityManagerFactory factory = JpaStorage.openFactory(url, "sa", "");
        JpaSessionStore store = new JpaSessionStore(factory, Executors.defaultThreadFactory(), true);
        closing.add(factory::close);
        closing.add(store);
        assertThat(store.shareWith(id)).isTrue();
        return store;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Message message(String payload) {
        return new Message("t", payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                PublishProperties.NONE, "pub");
    }

    private static List<Recipient> to(String clientId) {
        return List.of(new Recipient(clientId, QoS.AT_LEAST_ONCE, false, List.of(), null));
    }

    @Test
    void aStoreOfOneNodeFileIsNotShared() {
        EntityManagerFactory factory = JpaStorage.openFactory(url, "sa", "");
        closing.add(factory::close);
        JpaSessionStore store = new JpaSessionStore(factory, Executors.defaultThreadFactory(), false);
        closing.add(store);
        assertThat(store.shareWith("n0")).isFalse();
    }

    @Test
    void messageIdsAreUniqueAcrossNodesAndATakenSessionsNextCopiesSortAfterItsOldOnes() throws Exception {
        JpaSessionStore n0 = node("n0");
        JpaSessionStore n1 = node("n1"); // reserved its block after n0's: its ids are higher
        await(n0.sessionOpened("s", true, 3600));
        await(n1.sessionOpened("other", true, 3600));
        Set<Long> ids = new HashSet<>();
        long fromN1 = await(n1.messageAccepted(message("on n1"), to("other")));
        ids.add(fromN1);
        long before = 0;
        for (int i = 0; i < 3; i++) {
            long id = await(n0.messageAccepted(message("m" + i), to("s")));
            assertThat(id).isGreaterThan(before);
            before = id;
            ids.add(id);
        }
        assertThat(ids).hasSize(4);
        await(n0.sessionOpened("s2", true, 3600));

        await(n0.handOver("s"));
        StoredSession taken = await(n1.takeSession("s"));
        assertThat(taken.copies()).extracting(c -> new String(c.message().payload(), StandardCharsets.UTF_8))
                .containsExactly("m0", "m1", "m2");
        long next = await(n1.messageAccepted(message("m3"), to("s")));
        assertThat(next).as("after the copies n0 accepted").isGreaterThan(before).isNotIn(ids);

        // n0 writes nothing more about it; n1 owns it now: a third node adopting orphans leaves it alone
        assertThat(await(n0.messageAccepted(message("late"), to("s")))).as("no copy stored by n0").isZero();
        StoredState orphans = node("n2").adopt(Set.of("n1", "n2"), false);
        assertThat(orphans.sessions()).extracting(StoredSession::clientId).containsExactly("s2");
    }

    @Test
    void aHandOverMakesLazyPacketIdentifiersDurableAndForgetsTheConnectionsWill() throws Exception {
        JpaSessionStore n0 = node("n0");
        JpaSessionStore n1 = node("n1");
        Will will = new Will("w", new byte[]{1}, QoS.AT_LEAST_ONCE, false, 0, PublishProperties.NONE);
        await(n0.sessionOpened("s", true, 3600, will));
        long id = await(n0.messageAccepted(message("in flight"), to("s")));
        n0.outboundSent("s", id, 7, QoS.AT_LEAST_ONCE); // lazy: held back by the writer

        await(n0.handOver("s"));
        StoredSession taken = await(n1.takeSession("s"));

        assertThat(taken.copies()).singleElement().extracting(StoredCopy::packetId).isEqualTo(7);
        assertThat(taken.will()).isNull();
    }

    @Test
    void adoptionTakesTheSessionsOfGoneNodesOnlyOnceWithTheWillOfTheirOpenConnections() throws Exception {
        JpaSessionStore n0 = node("n0");
        JpaSessionStore n1 = node("n1");
        Will will = new Will("w", new byte[]{1}, QoS.AT_LEAST_ONCE, false, 5, PublishProperties.NONE);
        await(n0.sessionOpened("dead-node's", true, 3600, will));
        await(n0.messageAccepted(message("kept"), to("dead-node's")));
        await(n1.sessionOpened("live-node's", true, 3600));

        StoredState adopted = n1.adopt(Set.of("n1"), false);

        assertThat(adopted.sessions()).singleElement().satisfies(s -> {
            assertThat(s.clientId()).isEqualTo("dead-node's");
            assertThat(s.copies()).hasSize(1);
            assertThat(s.will().dueAtMillis()).as("its connection was open: due its delay after now").isZero();
        });
        assertThat(n1.adopt(Set.of("n1"), false).sessions()).as("owned by n1 now").isEmpty();
    }
}
