package org.eemqtt.broker.infrastructure;

import java.util.Locale;
import java.util.Map;

/**
 * The databases the broker's store runs on, told apart by the JDBC URL (mqtt.db.url): the JDBC driver class to
 * load, the EclipseLink platform (named explicitly so that the DDL of create-or-extend-tables never depends on how
 * a driver reports the server: Connector/J calls a MariaDB server "MySQL"), and driver properties the store needs.
 */
enum JdbcDatabase {

    H2("jdbc:h2:", "org.h2.Driver", "org.eclipse.persistence.platform.database.H2Platform", Map.of()),

    /*
     * MySQL Connector/J, for MySQL and MariaDB. By default it reads a null catalog in DatabaseMetaData as "every
     * database on the server", so create-or-extend-tables would take the columns of a same-named table in another
     * database for ours and leave our table un-extended: restrict metadata to the database of the URL. The store
     * writes in JDBC batches; rewriteBatchedStatements sends a batch of inserts as one multi-row statement.
     */
    MYSQL("jdbc:mysql:", "com.mysql.cj.jdbc.Driver", "org.eclipse.persistence.platform.database.MySQLPlatform",
            Map.of("nullDatabaseMeansCurrent", "true", "rewriteBatchedStatements", "true"));

    private final String urlPrefix;
    private final String driverClass;
    private final String platformClass;
    private final Map<String, String> driverProperties;

    JdbcDatabase(String urlPrefix, String driverClass, String platformClass, Map<String, String> driverProperties) {
        this.urlPrefix = urlPrefix;
        this.driverClass = driverClass;
        this.platformClass = platformClass;
        this.driverProperties = driverProperties;
    }

    /** The database of a JDBC URL; an unsupported one is refused with the URL forms that work. */
    static JdbcDatabase of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (JdbcDatabase database : values()) {
            if (lower.startsWith(database.urlPrefix)) {
                return database;
            }
        }
        throw new IllegalArgumentException("Unsupported mqtt.db.url '" + url.replaceAll("[;?].*", "")
                + "': the broker bundles drivers for jdbc:h2:... and jdbc:mysql://host:port/database (MySQL, MariaDB)");
    }

    String driverClass() {
        return driverClass;
    }

    String platformClass() {
        return platformClass;
    }

    /** JDBC connection properties the store sets on top of those in the URL. */
    Map<String, String> driverProperties() {
        return driverProperties;
    }
}
