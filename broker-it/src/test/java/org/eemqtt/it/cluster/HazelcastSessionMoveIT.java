package org.eemqtt.it.cluster;

/** {@link SessionMoveIT} with {@code mqtt.storage=hazelcast}: sessions move through the cluster's maps. */
class HazelcastSessionMoveIT extends SessionMoveIT {

    @Override
    protected Storage storage() {
        return new HazelcastStorage();
    }
}
