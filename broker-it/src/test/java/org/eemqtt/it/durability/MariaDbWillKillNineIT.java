package org.eemqtt.it.durability;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kill -9 will test of {@link WillKillNineIT} with the broker's store on a real MariaDB server
 * (through the bundled MySQL driver): one private server for the class, a fresh database for the test.
 */
class MariaDbWillKillNineIT extends WillKillNineIT {

    @RegisterExtension
    static final MariaDbDatabases MARIADB = new MariaDbDatabases("will_");

    @Override
    protected StoreUnderTest store() {
        return MARIADB.current();
    }
}
