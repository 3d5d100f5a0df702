package org.eemqtt.broker.infrastructure;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real Hazelcast members on loopback, as a Payara Server domain has them: the DAS (a member that runs no broker)
 * and two instances that do. Only the instances count as other nodes.
 */
class BrokerNodesTest {

    private static final int FIRST_PORT = 31701;

    private final List<HazelcastInstance> members = new ArrayList<>();

    @BeforeEach
    void startMembers() {
        String cluster = "broker-nodes-test-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            Config config = new Config().setClusterName(cluster).setProperty("hazelcast.phone.home.enabled", "false")
                    .setProperty("hazelcast.logging.type", "jdk")
                    .setProperty("hazelcast.wait.seconds.before.join", "0");
            config.getNetworkConfig().setPort(FIRST_PORT).setPortAutoIncrement(true).setPortCount(20);
            config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            JoinConfig join = config.getNetworkConfig().getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            for (int port = FIRST_PORT; port < FIRST_PORT + 3; port++) {
                join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
            }
            members.add(Hazelcast.newHazelcastInstance(config));
        }
        assertThat(members.get(0).getCluster().getMembers()).hasSize(3);
    }

    @AfterEach
    void stopMembers() {
        members.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void theOtherNodesAreTheMembersThatRunTheBrokerNotTheDas() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        List<String> stopped = new CopyOnWriteArrayList<>();
        BrokerNodes one = new BrokerNodes(members.get(1), id(1), sizes::add, stopped::add);
        BrokerNodes two = nodes(2);
        one.join("instance1");
        two.join("instance2");

        eventually(() -> assertThat(one.others()).containsExactly(id(2)));
        eventually(() -> assertThat(two.others()).containsExactly(id(1)));
        assertThat(one.isBroker(id(2))).isTrue();
        assertThat(one.isBroker(id(0))).as("the DAS is a member but runs no broker").isFalse();
        assertThat(one.runsBroker(id(0))).isFalse();
        assertThat(one.stopped(id(2))).isFalse();
        assertThat(registry(0)).containsEntry(id(1), "instance1")
                .containsEntry(id(2), "instance2").hasSize(2);
        eventually(() -> assertThat(sizes).endsWith(2));

        // undeploy on instance 2: still a member of the grid, no longer a broker node
        assertThat(stopped).isEmpty();
        two.close();
        eventually(() -> assertThat(one.others()).isEmpty());
        eventually(() -> assertThat(stopped).as("cleaned up after as a node that left").containsExactly(id(2)));
        assertThat(one.isBroker(id(2))).isFalse();
        assertThat(one.stopped(id(2))).as("its sessions are adopted although its member stays").isTrue();
        eventually(() -> assertThat(sizes).endsWith(1));
    }

    @Test
    void aMemberThatLeavesWithoutRemovingItsEntryIsNoNodeAnyMore() {
        BrokerNodes one = nodes(1);
        BrokerNodes two = nodes(2);
        one.join("instance1");
        two.join("instance2");
        eventually(() -> assertThat(one.others()).containsExactly(id(2)));

        String gone = id(2);
        members.get(2).getLifecycleService().terminate(); // killed: no close(), its entry stays until removed
        eventually(() -> assertThat(one.others()).as("not a member any more, its entry still there").isEmpty());
        assertThat(registry(1)).containsKey(gone);
        one.memberLeft(gone);
        assertThat(registry(1)).doesNotContainKey(gone);
        assertThat(one.isBroker(gone)).isFalse();
    }

    /** Map events reach the other members a moment later. */
    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw notYet;
                }
            }
        }
    }

    private BrokerNodes nodes(int member) {
        return new BrokerNodes(members.get(member), id(member), size -> { }, node -> { });
    }

    /** The map as a plain {@link Map}: an IMap is an Iterable too, which assertThat could not choose between. */
    private Map<String, String> registry(int member) {
        return members.get(member).getMap(BrokerNodes.MAP);
    }

    private String id(int member) {
        return members.get(member).getCluster().getLocalMember().getUuid().toString();
    }
}
