package org.eemqtt.it.cluster;

import org.eemqtt.it.support.ClusterNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

/**
 * Two real nodes in one cluster, started once for the test class (a start costs seconds) and stopped after it; the
 * class names the cluster (its nodes' log folders) and the settings each node gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoNodes {

    /** The two nodes of this class. */
    ClusterNodes cluster;

    /** The cluster's name (its nodes' log folders). */
    abstract String clusterName();

    /** Settings each node gets (none: each node on its own H2 file). */
    Map<String, String> nodeSettings() {
        return Map.of();
    }

    /** Called once the nodes have stopped, for what must outlive them (a shared database). */
    void afterNodesStopped() {
    }

    @BeforeAll
    void startCluster() {
        cluster = ClusterNodes.start(clusterName(), nodeSettings());
    }

    @AfterAll
    void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            afterNodesStopped();
        }
    }
}
