package org.eemqtt.broker.application.archfixture;

import com.hazelcast.archfixture.FakeHazelcastMap;
import io.netty.archfixture.FakeNettyChannel;
import jakarta.persistence.EntityManager;
import org.eemqtt.broker.infrastructure.VolatileSessionStore;

/**
 * Test fixture only: an "application" class with every dependency the application layer may not have, to prove
 * that ArchitectureTest's rules fail on them.
 */
public class LeakyApplicationClass {
    VolatileSessionStore store;
    EntityManager entityManager;
    FakeNettyChannel channel;
    FakeHazelcastMap map;
}
