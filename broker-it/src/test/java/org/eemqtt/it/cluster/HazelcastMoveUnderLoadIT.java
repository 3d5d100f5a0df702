package org.eemqtt.it.cluster;

/** {@link MoveUnderLoadIT} with {@code mqtt.storage=hazelcast}: sessions moving through the maps. */
class HazelcastMoveUnderLoadIT extends MoveUnderLoadIT {

    @Override
    protected Storage storage() {
        return new HazelcastStorage();
    }
}
