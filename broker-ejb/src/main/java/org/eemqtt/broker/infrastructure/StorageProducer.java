package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eemqtt.api.Setting;
import org.eemqtt.broker.domain.SessionStore;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The broker's {@link SessionStore}, as {@code mqtt.storage} chooses: {@code jpa} (the database of
 * {@link JpaStorage}) or {@code hazelcast} ({@link HazelcastSessionStore} on Payara's Hazelcast). Users stay in the
 * database either way. {@code hazelcast} without {@code mqtt.cluster.enabled} fails the start: a store that is
 * meant to survive a node's loss must not silently become one that a restart empties.
 */
@ApplicationScoped
public class StorageProducer {

    private static final Logger LOG = Logger.getLogger(StorageProducer.class.getName());

    @Inject
    JpaStorage jpa;

    /**
     * One per application: the broker singleton injects it once, and the (normal-scoped) producer runs on its first
     * call, from the singleton's start.
     */
    @Produces
    @ApplicationScoped
    SessionStore sessionStore() {
        Config config = ConfigProvider.getConfig(StorageProducer.class.getClassLoader());
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        String storage = Setting.STORAGE.value(lookup).trim();
        switch (storage) {
            case "jpa" -> {
                return jpa.sessionStore();
            }
            case "hazelcast" -> {
                if (!Setting.CLUSTER_ENABLED.booleanValue(lookup)) {
                    throw new IllegalStateException(Setting.STORAGE.key() + "=hazelcast needs "
                            + Setting.CLUSTER_ENABLED.key() + "=true (and Payara Micro started with the cluster "
                            + "arguments): without a cluster there is no other member to keep the backups");
                }
                HazelcastSessionStore store = new HazelcastSessionStore(hazelcast(),
                        Executors.newSingleThreadExecutor(threadFactory()), blockingExecutor());
                LOG.info(() -> "Sessions and retained messages are stored in Hazelcast maps (one backup each)");
                return store;
            }
            default -> throw new IllegalStateException(Setting.STORAGE.key() + " is " + storage
                    + ": it must be jpa or hazelcast");
        }
    }

    private static HazelcastInstance hazelcast() {
        try {
            return (HazelcastInstance) new InitialContext().lookup(ClusterProducer.HAZELCAST_JNDI);
        } catch (NamingException e) {
            throw new IllegalStateException(Setting.STORAGE.key() + "=hazelcast but Payara's Hazelcast ("
                    + ClusterProducer.HAZELCAST_JNDI + ") is not there", e);
        }
    }

    /** The container's managed threads, as the database store's writer has them (see JpaStorage). */
    private static ThreadFactory threadFactory() {
        try {
            return (ManagedThreadFactory) new InitialContext().lookup("java:comp/DefaultManagedThreadFactory");
        } catch (NamingException | RuntimeException e) {
            LOG.warning(() -> "No managed thread factory (" + e + "); store completions run on a plain thread");
            return Executors.defaultThreadFactory();
        }
    }

    /** The container's executor for the store's scans; the common pool where the naming context has none. */
    private static Executor blockingExecutor() {
        try {
            return (ManagedExecutorService) new InitialContext().lookup("java:comp/DefaultManagedExecutorService");
        } catch (NamingException | RuntimeException e) {
            LOG.warning(() -> "No managed executor (" + e + "); the store's scans run on the common pool");
            return ForkJoinPool.commonPool();
        }
    }
}
