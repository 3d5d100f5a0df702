package org.eemqtt.it.durability;

import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MariaDbServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the MariaDB variants of the kill -9 tests (register as a static {@code @RegisterExtension} field): one private
 * MariaDB server for the test class and a fresh database for each test, handed to the broker as its store.
 */
final class MariaDbDatabases implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final String prefix;
    private MariaDbServer server;
    private StoreUnderTest current;

    /** @param prefix start of each database's name, e.g. "kill_" */
    MariaDbDatabases(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MariaDbServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MariaDbServer.Database database = server.createDatabase(prefix + Ids.suffix().replaceAll("\\W", "_"));
        current = StoreUnderTest.of(database.url(), database.user(), database.password());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** The database of the running test. */
    StoreUnderTest current() {
        return current;
    }
}
