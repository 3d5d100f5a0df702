package org.eemqtt.broker.application;

import com.hazelcast.core.HazelcastInstance;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.infrastructure.HazelcastMembers;
import org.eemqtt.broker.infrastructure.HazelcastSessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

/**
 * {@link SessionMoveTest} on the {@code hazelcast} store: the two nodes are two real Hazelcast members sharing the
 * store's maps (node ids are their member ids, as the store requires), instead of two persistence units on one
 * database.
 */
class HazelcastSessionMoveTest extends SessionMoveTest {

    private static final HazelcastInstance[] MEMBERS = new HazelcastInstance[2];
    private static final ExecutorService COMPLETIONS = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void startMembers() {
        String cluster = "hz-moves-" + UUID.randomUUID();
        MEMBERS[0] = HazelcastMembers.member(cluster);
        MEMBERS[1] = HazelcastMembers.member(cluster);
    }

    @AfterAll
    static void stopMembers() {
        for (HazelcastInstance member : MEMBERS) {
            member.getLifecycleService().terminate();
        }
        COMPLETIONS.shutdown();
    }

    @AfterEach
    void clearMaps() {
        MEMBERS[0].getDistributedObjects().stream().filter(o -> o.getName().startsWith("eemqtt."))
                .filter(o -> o instanceof com.hazelcast.map.IMap).forEach(o -> ((com.hazelcast.map.IMap<?, ?>) o)
                        .clear());
    }

    @Override
    String nodeId(int node) {
        return HazelcastMembers.id(MEMBERS[node]);
    }

    @Override
    SessionStore store(int node) {
        return new HazelcastSessionStore(MEMBERS[node], COMPLETIONS, ForkJoinPool.commonPool());
    }
}
