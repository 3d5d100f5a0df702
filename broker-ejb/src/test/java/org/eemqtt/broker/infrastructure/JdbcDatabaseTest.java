package org.eemqtt.broker.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcDatabaseTest {

    @Test
    void h2UrlsUseTheH2DriverAndPlatform() {
        JdbcDatabase db = JdbcDatabase.of("jdbc:h2:file:/tmp/data/mqtt;WRITE_DELAY=0");
        assertThat(db).isEqualTo(JdbcDatabase.H2);
        assertThat(db.driverClass()).isEqualTo("org.h2.Driver");
        assertThat(db.platformClass()).endsWith(".H2Platform");
        assertThat(db.driverProperties()).isEmpty();
    }

    @Test
    void mysqlUrlsUseConnectorJAndTheMySqlPlatformWithMetadataOfTheUrlsDatabaseOnly() {
        JdbcDatabase db = JdbcDatabase.of("jdbc:mysql://127.0.0.1:3306/mqtt?useSSL=false");
        assertThat(db).isEqualTo(JdbcDatabase.MYSQL);
        assertThat(db.driverClass()).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(db.platformClass()).isEqualTo("org.eclipse.persistence.platform.database.MySQLPlatform");
        assertThat(db.driverProperties()).containsEntry("nullDatabaseMeansCurrent", "true");
        assertThat(JdbcDatabase.of("JDBC:MySQL://db/mqtt")).isEqualTo(JdbcDatabase.MYSQL);
    }

    @Test
    void otherUrlsAreRefusedWithTheFormsThatWorkAndWithoutTheirParameters() {
        assertThatThrownBy(() -> JdbcDatabase.of("jdbc:postgresql://db/mqtt?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://db/mqtt")
                .hasMessageContaining("jdbc:mysql://")
                .hasMessageNotContaining("secret");
    }
}
