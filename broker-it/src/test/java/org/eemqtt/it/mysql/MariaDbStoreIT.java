package org.eemqtt.it.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.BrokerStore;
import org.eemqtt.it.support.FreePorts;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MariaDbServer;
import org.eemqtt.it.support.PahoClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker on a real MariaDB server (a private mariadbd, see {@link MariaDbServer}) through the bundled MySQL
 * Connector/J and mqtt.db.url=jdbc:mysql://...: it creates its table with the MySQL platform's DDL, creates the
 * default user, serves logins, keeps its users over a restart, and extends an older table in its own database.
 */
class MariaDbStoreIT {

    private static final Duration START = Duration.ofSeconds(180);

    /** MQTT port of the broker started last: the first free one from the shared broker's port + 10. */
    private int mqttPort;

    /** The same test on each store: the second start finds the first start's users and does not re-create them. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BrokerStore.class)
    void usersSurviveABrokerRestartOnTheSameStore(BrokerStore kind) throws Exception {
        try (BrokerStore.Open store = kind.open("users-restart")) {
            Map<String, String> settings = store.brokerSettings();
            String guestHash = null;
            try (BrokerProcess first = start("store-first", settings)) {
                assertThat(first.logText()).contains("created user 'guest'");
                PahoClients.loginAsGuest(mqttPort, "guest");
                if (store.mariaDb() != null) {
                    guestHash = storedHash(store.mariaDb().database(), "guest");
                }
            }
            try (BrokerProcess second = start("store-second", settings)) {
                assertThat(second.logText())
                        .as("the second start reuses the stored users")
                        .contains("Store open: " + expectedUrlPrefix(store))
                        .doesNotContain("created user 'guest'");
                PahoClients.loginAsGuest(mqttPort, "guest");
                assertThatThrownBy(() -> PahoClients.loginAsGuest(mqttPort, "not-the-password"))
                        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                                .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
            }
            if (store.mariaDb() != null) {
                assertThat(storedHash(store.mariaDb().database(), "guest"))
                        .as("the same row, not a new guest with a new salt")
                        .isEqualTo(guestHash)
                        .startsWith("PBKDF2");
                assertThat(intOf(store.mariaDb().database(), "select count(*) from MQTT_USER"))
                        .as("guest and admin, each once").isEqualTo(2);
            }
        }
    }

    /** The table is made by EclipseLink's MySQL platform, in the URL's database, as InnoDB (transactional). */
    @Test
    void theUsersTableIsCreatedWithMySqlTypesInTheUrlsDatabase() throws Exception {
        try (MariaDbServer mariadb = MariaDbServer.start()) {
            MariaDbServer.Database db = mariadb.database();
            try (BrokerProcess broker = start("mariadb-ddl", db.brokerSettings())) {
                assertThat(broker.logText()).contains("Store open: " + db.url());
                PahoClients.loginAsGuest(mqttPort, "guest");
            }
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                ResultSet table = s.executeQuery("select ENGINE from information_schema.TABLES"
                        + " where TABLE_SCHEMA = 'mqtt' and TABLE_NAME = 'MQTT_USER'");
                assertThat(table.next()).as("MQTT_USER in database mqtt").isTrue();
                assertThat(table.getString(1)).isEqualTo("InnoDB");
                Map<String, String> columns = columns(c, "mqtt", "MQTT_USER");
                assertThat(columns).containsOnlyKeys("USER_NAME", "PASSWORD_HASH", "ROLES", "CREATED_AT",
                                "ACL_PUBLISH", "ACL_SUBSCRIBE")
                        .containsEntry("ACL_PUBLISH", "longtext") // no row-size limit, unlike a long varchar
                        .containsEntry("ACL_SUBSCRIBE", "longtext")
                        .containsEntry("USER_NAME", "varchar(128)")
                        .containsEntry("PASSWORD_HASH", "varchar(512)")
                        .containsEntry("ROLES", "varchar(1024)");
                assertThat(columns.get("CREATED_AT")).as("an SQL time, not a serialized Java Instant")
                        .startsWith("datetime");
                ResultSet guest = s.executeQuery("select CREATED_AT from MQTT_USER where USER_NAME = 'guest'");
                assertThat(guest.next()).isTrue();
                assertThat(guest.getTimestamp(1).toInstant()).isBetween(Instant.now().minus(Duration.ofMinutes(10)),
                        Instant.now());
            }
        }
    }

    /**
     * create-or-extend-tables adds a column that an older MQTT_USER lacks, although another database on the same
     * server has a complete MQTT_USER that the broker's user may read too (as an account for several databases
     * would): the broker reads the columns of its own database only.
     */
    @Test
    void anOlderUsersTableInTheBrokersDatabaseIsExtendedNotReplaced() throws Exception {
        try (MariaDbServer mariadb = MariaDbServer.start()) {
            MariaDbServer.Database complete = mariadb.database();
            MariaDbServer.Database older = mariadb.createDatabase("older");
            try (Connection c = complete.connect(); Statement s = c.createStatement()) {
                s.execute("create table MQTT_USER (USER_NAME varchar(128) primary key, PASSWORD_HASH varchar(512)"
                        + " not null, ROLES varchar(1024) not null, CREATED_AT datetime not null)");
            }
            try (Connection c = older.connect(); Statement s = c.createStatement()) {
                s.execute("create table MQTT_USER (USER_NAME varchar(128) primary key, PASSWORD_HASH varchar(512)"
                        + " not null, CREATED_AT datetime not null)");
                s.execute("create table KEEP_ME (ID int primary key)");
                s.execute("insert into KEEP_ME values (42)");
            }
            try (Connection c = mariadb.rootConnection(); Statement s = c.createStatement()) {
                s.execute("grant select on mqtt.* to 'older'@'%'");
            }
            try (BrokerProcess broker = start("mariadb-extend", older.brokerSettings())) {
                assertThat(broker.logText()).contains("Store open: " + older.url(), "created user 'guest'");
                PahoClients.loginAsGuest(mqttPort, "guest");
            }
            try (Connection c = older.connect()) {
                assertThat(columns(c, "older", "MQTT_USER")).containsKeys("ROLES", "ACL_PUBLISH", "ACL_SUBSCRIBE");
                assertThat(intOf(older, "select count(*) from MQTT_USER where USER_NAME = 'guest'")).isEqualTo(1);
                assertThat(intOf(older, "select ID from KEEP_ME")).isEqualTo(42);
            }
            assertThat(intOf(complete, "select count(*) from MQTT_USER")).as("the other database untouched")
                    .isZero();
        }
    }

    private BrokerProcess start(String name, Map<String, String> storeSettings) {
        mqttPort = FreePorts.firstFree(ItSettings.mqttPort() + 10, 10);
        String httpPort = String.valueOf(FreePorts.firstFree(ItSettings.httpPort() + 10, 10));
        Map<String, String> settings = new HashMap<>(storeSettings);
        settings.put("mqtt.tcp.port", String.valueOf(mqttPort));
        BrokerProcess broker = BrokerProcess.start(name, settings, List.of("--port", httpPort));
        try {
            BrokerReadiness.awaitReady(broker, ItSettings.HOST, mqttPort, START);
            return broker;
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
    }

    private static String expectedUrlPrefix(BrokerStore.Open store) {
        return store.mariaDb() == null ? "jdbc:h2:file:" : store.mariaDb().database().url();
    }

    private static String storedHash(MariaDbServer.Database db, String user) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select PASSWORD_HASH from MQTT_USER where USER_NAME = '" + user + "'")) {
            assertThat(rs.next()).as("user %s stored", user).isTrue();
            return rs.getString(1);
        }
    }

    private static int intOf(MariaDbServer.Database db, String query) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    /** Column name to its MySQL type (information_schema COLUMN_TYPE, lower case). */
    private static Map<String, String> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select COLUMN_NAME, COLUMN_TYPE"
                + " from information_schema.COLUMNS where TABLE_SCHEMA = '" + schema + "' and TABLE_NAME = '"
                + table + "'")) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2).toLowerCase());
            }
        }
        return columns;
    }
}
