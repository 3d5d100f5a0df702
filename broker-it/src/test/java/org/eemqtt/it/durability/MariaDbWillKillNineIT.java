package org.eemqtt.it.durability;

import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The kill -9 will test of {@link WillKillNineIT} with the broker's store on a real MariaDB server
 * (through the bundled MySQL driver): one private server for the class, a fresh database for the test.
 */
class MariaDbWillKillNineIT extends WillKillNineIT {

    private static MariaDbServer server;
    private StoreUnderTest store;

    @BeforeAll
    static void startMariaDb() {
        server = MariaDbServer.start();
    }

    @AfterAll
    static void stopMariaDb() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshDatabase() {
        MariaDbServer.Database database = server.createDatabase("will_" + Ids.suffix().replaceAll("\\W", "_"));
        store = StoreUnderTest.of(database.url(), database.user(), database.password());
    }

    @Override
    protected StoreUnderTest store() {
        return store;
    }
}
