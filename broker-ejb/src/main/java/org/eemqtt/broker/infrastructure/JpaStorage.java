package org.eemqtt.broker.infrastructure;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import org.eemqtt.broker.application.BrokerSettings;
import org.eemqtt.broker.domain.SessionStore;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The broker's JPA persistence unit. Resource-local on purpose: the broker decides when it writes (off the network
 * threads, batched later) instead of running container transactions per packet, and the unit's file has its own
 * name so that the container does not deploy it against a default data source. The schema is created and then
 * only extended (EclipseLink create-or-extend-tables), so restarts and upgrades keep the data.
 */
@ApplicationScoped
public class JpaStorage {

    private static final Logger LOG = Logger.getLogger(JpaStorage.class.getName());

    private EntityManagerFactory factory;
    private JpaSessionStore sessionStore;

    public JpaStorage() {
        // opened by the container (@PostConstruct)
    }

    /** On a unit that is open already (tests). */
    JpaStorage(EntityManagerFactory factory) {
        this.factory = factory;
    }

    @PostConstruct
    void open() {
        BrokerSettings settings = BrokerSettings.load();
        if (settings.databaseUrl().startsWith("jdbc:h2:")) {
            try {
                Files.createDirectories(settings.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data folder " + settings.dataDir(), e);
            }
        }
        factory = openFactory(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
        inTransaction(em -> em.createQuery("select count(u) from UserEntity u").getSingleResult());
        LOG.info(() -> "Store open: " + settings.databaseUrl().replaceAll("[;?].*", ""));
    }

    /** The broker's persistence unit on this database (its tables are created or extended). */
    public static EntityManagerFactory openFactory(String url, String user, String password) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("eclipselink.persistencexml", "META-INF/mqtt-persistence.xml");
        properties.put("jakarta.persistence.jdbc.url", url);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password);
        JdbcDatabase database = JdbcDatabase.of(url);
        properties.put("jakarta.persistence.jdbc.driver", database.driverClass());
        properties.put("eclipselink.target-database", database.platformClass());
        database.driverProperties().forEach((key, value) -> properties.put("eclipselink.jdbc.property." + key, value));
        properties.put("eclipselink.session.customizer", DirectJdbcConnections.class.getName());
        // The unit is loaded by the application's class loader, not the container's deployer.
        properties.put("eclipselink.classloader", JpaStorage.class.getClassLoader());
        return Persistence.createEntityManagerFactory("mqtt", properties);
    }

    /** The durable session store, on this unit: {@link StorageProducer} makes it when {@code mqtt.storage=jpa}. */
    SessionStore sessionStore() {
        String url = BrokerSettings.load().databaseUrl();
        boolean serverDatabase = JdbcDatabase.of(url) != JdbcDatabase.H2 || url.startsWith("jdbc:h2:tcp:");
        sessionStore = new JpaSessionStore(factory, threadFactory(), serverDatabase);
        return sessionStore;
    }

    /**
     * The container's managed threads for the writer, looked up (not injected) so that a server whose naming
     * context does not offer the default factory here still starts, on plain threads.
     */
    private static ThreadFactory threadFactory() {
        try {
            return (ManagedThreadFactory) new InitialContext().lookup("java:comp/DefaultManagedThreadFactory");
        } catch (NamingException | RuntimeException e) {
            LOG.warning(() -> "No managed thread factory (" + e + "); the store writer runs on a plain thread");
            return Executors.defaultThreadFactory();
        }
    }

    /** Runs {@code work} in one resource-local transaction. */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    @PreDestroy
    void close() {
        if (sessionStore != null) {
            sessionStore.close(); // writes what is queued while the unit is still open
        }
        if (factory != null) {
            factory.close();
        }
    }
}
