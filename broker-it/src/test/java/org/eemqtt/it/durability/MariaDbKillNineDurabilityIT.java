package org.eemqtt.it.durability;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kill -9 durability tests of {@link KillNineDurabilityIT} with the broker's store on a real MariaDB server
 * (through the bundled MySQL driver): one private server for the class, a fresh database for each test.
 */
class MariaDbKillNineDurabilityIT extends KillNineDurabilityIT {

    @RegisterExtension
    static final MariaDbDatabases MARIADB = new MariaDbDatabases("kill_");

    @Override
    protected StoreUnderTest store() {
        return MARIADB.current();
    }
}
