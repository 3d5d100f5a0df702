package org.eemqtt.broker.infrastructure;

import jakarta.persistence.EntityManagerFactory;
import org.eemqtt.broker.domain.TopicAcl;
import org.eemqtt.broker.domain.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Users in a real H2 store, including one whose users table predates the ACL columns. */
class JpaUserRepositoryTest {

    @Test
    void anOlderUsersTableGetsTheAclColumnsAndKeepsItsUsers(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mqtt") + ";WRITE_DELAY=0";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement sql = connection.createStatement()) {
            // the table as the version before ACLs created it
            sql.execute("CREATE TABLE MQTT_USER (USER_NAME VARCHAR(128) PRIMARY KEY, PASSWORD_HASH VARCHAR(512) "
                    + "NOT NULL, ROLES VARCHAR(1024) NOT NULL, CREATED_AT TIMESTAMP NOT NULL)");
            sql.execute("INSERT INTO MQTT_USER VALUES ('old', 'hash-1', 'user', TIMESTAMP '2025-01-02 03:04:05')");
        }
        EntityManagerFactory factory = JpaStorage.openFactory(url, "sa", "");
        try {
            JpaUserRepository users = new JpaUserRepository();
            users.storage = new JpaStorage(factory);

            User old = users.find("old").orElseThrow();
            assertThat(old.acl()).as("no ACL: unrestricted").isNull();
            assertThat(old.roles()).containsExactly("user");
            assertThat(old.created()).isNotNull();

            TopicAcl acl = new TopicAcl(List.of("users/%u/#", "a/+/b"), List.of());
            users.save(old.withAcl(acl));
            assertThat(users.find("old").orElseThrow().acl()).isEqualTo(acl);
            assertThat(users.find("old").orElseThrow().created()).as("kept").isEqualTo(old.created());

            assertThat(users.create(new User("new", "hash-2", Set.of("admin")))).isTrue();
            assertThat(users.create(new User("new", "hash-3", Set.of()))).isFalse();
            assertThat(users.page(0, 10)).extracting(User::name).containsExactly("new", "old");
            assertThat(users.page(1, 10)).extracting(User::name).containsExactly("old");
            assertThat(users.count()).isEqualTo(2);

            users.save(users.find("old").orElseThrow().withAcl(null));
            assertThat(users.find("old").orElseThrow().acl()).isNull();
            assertThat(users.delete("old")).isTrue();
            assertThat(users.delete("old")).isFalse();
            assertThat(users.find("old")).isEmpty();
        } finally {
            factory.close();
        }
    }
}
