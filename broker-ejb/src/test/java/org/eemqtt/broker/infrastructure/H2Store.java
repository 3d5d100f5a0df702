package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManagerFactory;

import java.nio.file.Path;
import java.util.concurrent.Executors;

/** A real H2 file database in a test's folder, opened as the broker opens its store (WRITE_DELAY=0). */
final class H2Store implements AutoCloseable {

    final EntityManagerFactory factory;
    final JpaSessionStore store;

    H2Store(Path dir) {
        factory = JpaStorage.openFactory("jdbc:h2:file:" + dir.resolve("mqtt") + ";WRITE_DELAY=0", "sa", "");
        store = new JpaSessionStore(factory, Executors.defaultThreadFactory());
    }

    @Override
    public void close() {
        store.close();
        factory.close();
    }
}
