package org.eemqtt.broker.domain.archfixture;

import com.hazelcast.archfixture.FakeHazelcastMap;
import io.netty.archfixture.FakeNettyChannel;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.Config;

/**
 * Test fixture only (never imported by the real rule checks, which skip test classes): a "domain" class with every
 * dependency the domain may not have, to prove that ArchitectureTest's rules fail on them.
 */
@ApplicationScoped
public class LeakyDomainClass {
    @Inject
    Config config;
    @EJB
    Object bean;
    EntityManager entityManager;
    FakeNettyChannel channel;
    FakeHazelcastMap map;
}
