package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.application.Cluster;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that joins while another subscribes may not find that subscription in the registry (written a moment
 * later) and is not among the nodes the news went to: the other node greets it with its filters and share members
 * once it learns of it. Real Hazelcast members; the registry entries are removed to play that race.
 */
class JoiningNodeTest {

    /** Counts what reaches it; every forwarded message reaches one session. */
    private static final class Sessions implements Cluster.Inbound {
        final List<String> delivered = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Integer> deliverForwarded(Message message,
                                                                      Predicate<SharedFilter> sharesHere) {
            delivered.add(message.topic());
            return CompletableFuture.completedFuture(1);
        }

        @Override
        public CompletionStage<Void> takenOverElsewhere(String clientId, boolean cleanStart, String node,
                                                          long moveId) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private final String clusterName = "join-" + UUID.randomUUID();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<HazelcastCluster> clusters = new ArrayList<>();

    @AfterEach
    void stop() {
        clusters.forEach(HazelcastCluster::close);
        members.forEach(HazelcastInstance::shutdown);
        scheduler.shutdownNow();
    }

    private HazelcastCluster node(Cluster.Inbound inbound) {
        HazelcastInstance member = HazelcastMembers.member(clusterName);
        members.add(member);
        HazelcastCluster cluster = new HazelcastCluster(member, 5);
        clusters.add(cluster);
        cluster.start(inbound, scheduler);
        return cluster;
    }

    private static Message message(String topic) {
        return new Message(topic, new byte[]{1}, QoS.AT_LEAST_ONCE, false, PublishProperties.NONE, "pub");
    }

    @Test
    void aNodeThatMissedAFilterAndAShareGroupInTheRegistryLearnsThemFromTheNodeThatHasThem() {
        Sessions onFirst = new Sessions();
        HazelcastCluster first = node(onFirst);
        first.filterAdded("a/#").toCompletableFuture().join();
        SharedFilter group = SharedFilter.parse("$share/g/s/#");
        first.shareAdded(group).toCompletableFuture().join();
        // as if the entries were written after the joining node read the registry
        members.get(0).getMap("eemqtt.filters").clear();
        members.get(0).getMap("eemqtt.shares").clear();

        HazelcastCluster joining = node(new Sessions());

        await("the joining node forwards to the first", () ->
                joining.forward(message("a/1")).toCompletableFuture().join() == 1);
        assertThat(onFirst.delivered).contains("a/1");
        await("the joining node leaves the share group to the node with its member", () ->
                !joining.forwardPublished(message("s/1")).sharesHere().test(group));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
