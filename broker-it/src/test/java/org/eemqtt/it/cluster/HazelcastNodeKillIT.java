package org.eemqtt.it.cluster;

import java.util.Map;

/**
 * {@link NodeKillIT} with {@code mqtt.storage=hazelcast}: the killed node's sessions, the copies acknowledged to the
 * publisher and the will of its open connection come from the backups the other node's Hazelcast member holds.
 */
class HazelcastNodeKillIT extends NodeKillIT {

    /**
     * The stream runs fast on this storage: node 0 dies hundreds of messages after the kill was asked for, and the
     * rest of the stream queues for the adopted (offline) subscriber. Room for all of it: over the default bound
     * of 1000 queued messages the broker drops copies by design (README), which is not what this test is about.
     */
    @Override
    protected Storage storage() {
        return new HazelcastStorage(Map.of("mqtt.session.max.queued", "5000"));
    }
}
