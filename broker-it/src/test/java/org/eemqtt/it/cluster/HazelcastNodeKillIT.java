package org.eemqtt.it.cluster;

/**
 * {@link NodeKillIT} with {@code mqtt.storage=hazelcast}: the killed node's sessions, the copies acknowledged to the
 * publisher and the will of its open connection come from the backups the other node's Hazelcast member holds.
 */
class HazelcastNodeKillIT extends NodeKillIT {

    @Override
    protected Storage storage() {
        return new HazelcastStorage();
    }
}
