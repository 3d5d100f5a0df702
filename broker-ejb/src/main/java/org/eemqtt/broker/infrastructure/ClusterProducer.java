package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;
import org.eemqtt.broker.application.Cluster;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The broker's {@link Cluster}: {@link Cluster#SINGLE_NODE} unless {@code mqtt.cluster.enabled}, so that a standalone
 * broker never touches Hazelcast (Payara Micro runs one anyway; a standalone node's finds no other member).
 */
@ApplicationScoped
public class ClusterProducer {

    /** Payara's own Hazelcast instance (Micro and Server bind it here). */
    static final String HAZELCAST_JNDI = "payara/Hazelcast";

    private HazelcastCluster started;

    @Produces
    @ApplicationScoped
    Cluster cluster() {
        Config config = ConfigProvider.getConfig(ClusterProducer.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        if (!Setting.CLUSTER_ENABLED.booleanValue(lookup)) {
            return Cluster.SINGLE_NODE;
        }
        HazelcastInstance hazelcast;
        try {
            hazelcast = (HazelcastInstance) new InitialContext().lookup(HAZELCAST_JNDI);
        } catch (NamingException e) {
            throw new IllegalStateException(Setting.CLUSTER_ENABLED.key() + " is true but Payara's Hazelcast ("
                    + HAZELCAST_JNDI + ") is not there: start Payara Micro without --nocluster/--nohazelcast", e);
        }
        started = new HazelcastCluster(hazelcast, Setting.CLUSTER_TIMEOUT.intValue(lookup));
        return started;
    }

    @PreDestroy
    void stop() {
        if (started != null) {
            started.close();
        }
    }
}
