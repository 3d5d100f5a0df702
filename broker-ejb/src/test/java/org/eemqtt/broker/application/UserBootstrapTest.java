package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.User;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UserBootstrapTest {

    private final TestBroker.InMemoryUsers users = new TestBroker.InMemoryUsers();
    private final TestBroker.PlainHasher hasher = new TestBroker.PlainHasher();

    private static UserSettings settings(String admin, String guest) {
        return new UserSettings(admin, guest, 10, 60);
    }

    @Test
    void aFirstStartCreatesTheAdminWithTheConfiguredPasswordAndNoGuest() {
        UserBootstrap.ensureDefaultUsers(users, hasher, settings("configured-pass", ""));
        User admin = users.find("admin").orElseThrow();
        assertThat(admin.roles()).containsExactly("admin");
        assertThat(admin.passwordHash()).isEqualTo("plain:configured-pass");
        assertThat(users.find("guest")).isEmpty();
    }

    @Test
    void withoutAConfiguredPasswordTheAdminGetsARandomOne() {
        UserBootstrap.ensureDefaultUsers(users, hasher, settings("", ""));
        String first = users.find("admin").orElseThrow().passwordHash();
        TestBroker.InMemoryUsers other = new TestBroker.InMemoryUsers();
        UserBootstrap.ensureDefaultUsers(other, hasher, settings("", ""));
        assertThat(first).startsWith("plain:").hasSizeGreaterThan("plain:".length() + 20)
                .isNotEqualTo(other.find("admin").orElseThrow().passwordHash());
    }

    @Test
    void guestOnlyWhenAskedAndNothingIsReplacedOnALaterStart() {
        UserBootstrap.ensureDefaultUsers(users, hasher, settings("admin-pass-1", "guest"));
        assertThat(users.find("guest").orElseThrow().passwordHash()).isEqualTo("plain:guest");
        users.save(users.find("admin").orElseThrow().withPasswordHash("plain:changed"));

        UserBootstrap.ensureDefaultUsers(users, hasher, settings("admin-pass-2", "other"));
        assertThat(users.find("admin").orElseThrow().passwordHash()).isEqualTo("plain:changed");
        assertThat(users.find("guest").orElseThrow().passwordHash()).isEqualTo("plain:guest");
    }

    @Test
    void anotherUserWithTheAdminRoleIsEnough() {
        users.save(new User("root", "plain:x", Set.of("admin")));
        UserBootstrap.ensureDefaultUsers(users, hasher, settings("admin-pass-1", ""));
        assertThat(users.find("admin")).isEmpty();
    }
}
