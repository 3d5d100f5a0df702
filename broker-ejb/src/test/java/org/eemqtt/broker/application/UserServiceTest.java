package org.eemqtt.broker.application;

import org.eemqtt.broker.application.UserException.Kind;
import org.eemqtt.broker.domain.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserServiceTest {

    /** The broker's side, recorded. */
    private static final class FakeLive implements LiveUsers {
        final List<String> changed = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final LoginThrottle throttle = new LoginThrottle(2, 60_000, System::currentTimeMillis);

        @Override
        public List<UserConnection> connectionsOf(String username) {
            return username.equals("online")
                    ? List.of(new UserConnection("c1", Instant.EPOCH, "/127.0.0.1:1", "V5", "local")) : List.of();
        }

        @Override
        public void changed(String username) {
            changed.add(username);
        }

        @Override
        public int removed(String username) {
            removed.add(username);
            return 1;
        }

        @Override
        public LoginThrottle loginThrottle() {
            return throttle;
        }
    }

    private final TestBroker.InMemoryUsers users = new TestBroker.InMemoryUsers();
    private final FakeLive live = new FakeLive();
    private final UserService service = new UserService(users, new TestBroker.PlainHasher(), live);

    private static void assertKind(Kind kind, Supplier<?> call) {
        assertThatThrownBy(call::get).isInstanceOfSatisfying(UserException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void createsReadsUpdatesAndDeletesAndTellsTheBroker() {
        service.create("admin", "adminpass", Set.of("admin"));
        User ann = service.create("ann", "password1", Set.of("user"));
        assertThat(ann.roles()).containsExactly("user");
        assertThat(live.changed).containsExactly("admin", "ann");
        assertKind(Kind.CONFLICT, () -> service.create("ann", "password2", Set.of()));

        service.update("ann", "password2", null);
        assertThat(users.find("ann").orElseThrow().passwordHash()).isEqualTo("plain:password2");
        assertThat(service.get("ann").roles()).as("roles unchanged").containsExactly("user");
        service.update("ann", null, Set.of("user", "ops"));
        assertThat(service.get("ann").roles()).containsExactlyInAnyOrder("user", "ops");
        assertKind(Kind.INVALID, () -> service.update("ann", null, null));

        assertThat(service.delete("ann")).isEqualTo(1);
        assertThat(live.removed).containsExactly("ann");
        assertKind(Kind.NOT_FOUND, () -> service.get("ann"));
        assertKind(Kind.NOT_FOUND, () -> service.delete("ann"));
    }

    @Test
    void refusesReservedAndMalformedNamesShortPasswordsAndBadRoles() {
        assertKind(Kind.INVALID, () -> service.create("list", "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("status", "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("a/b", "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("a+", "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("", "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("x".repeat(129), "password1", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("ann", "short", Set.of()));
        assertKind(Kind.INVALID, () -> service.create("ann", "password1", Set.of("Admin!")));
        assertThat(users.count()).isZero();
    }

    @Test
    void theLastAdministratorCanNeitherGoNorLoseTheRole() {
        service.create("root", "password1", Set.of("admin"));
        assertKind(Kind.CONFLICT, () -> service.delete("root"));
        assertKind(Kind.CONFLICT, () -> service.update("root", null, Set.of("user")));
        service.create("root2", "password1", Set.of("admin"));
        service.update("root", null, Set.of("user"));
        assertKind(Kind.CONFLICT, () -> service.delete("root2"));
    }

    @Test
    void listsInPagesByName() {
        for (String name : List.of("c", "a", "e", "b", "d")) {
            service.create(name, "password1", Set.of());
        }
        UserService.UserPage second = service.list(1, 2);
        assertThat(second.users()).extracting(User::name).containsExactly("c", "d");
        assertThat(second.total()).isEqualTo(5);
        assertThat(service.list(2, 2).users()).extracting(User::name).containsExactly("e");
        assertThat(service.list(9, 2).users()).isEmpty();
        assertKind(Kind.INVALID, () -> service.list(-1, 2));
        assertKind(Kind.INVALID, () -> service.list(0, 0));
        assertKind(Kind.INVALID, () -> service.list(0, UserService.MAX_PAGE_SIZE + 1));
    }

    @Test
    void statusOfOneOrSeveralUsers() {
        service.create("online", "password1", Set.of());
        service.create("offline", "password1", Set.of());
        assertThat(service.status("online").online()).isTrue();
        assertThat(service.status("offline").connections()).isEmpty();
        assertThat(service.status(List.of("offline", "online"))).extracting(UserService.UserStatus::online)
                .containsExactly(false, true);
        assertKind(Kind.NOT_FOUND, () -> service.status(List.of("online", "nobody")));
        assertKind(Kind.INVALID, () -> service.status(List.of()));
    }

    @Test
    void aclIsStoredValidatedAndTheBrokerToldOfIt() {
        service.create("ann", "password1", Set.of());
        assertThat(service.acl("ann")).as("none by default").isNull();
        service.setAcl("ann", List.of("users/%u/#"), null);
        assertThat(service.acl("ann").publish()).containsExactly("users/%u/#");
        assertThat(service.acl("ann").subscribe()).isEmpty();
        assertThat(live.changed).containsExactly("ann", "ann");
        assertKind(Kind.INVALID, () -> service.setAcl("ann", List.of("a/#/b"), List.of()));
        assertKind(Kind.NOT_FOUND, () -> service.setAcl("nobody", List.of(), List.of()));
        service.setAcl("ann", null, null);
        assertThat(service.acl("ann")).isNull();
    }

    @Test
    void apiLoginsCountFailuresPerAddressAndAreRefusedThenEvenWithTheRightPassword() {
        service.create("ann", "password1", Set.of("admin"));
        assertThat(service.login("ann", "password1".toCharArray(), "10.0.0.9").name()).isEqualTo("ann");
        assertKind(Kind.BAD_CREDENTIALS, () -> service.login("ann", "wrong".toCharArray(), "10.0.0.9"));
        assertKind(Kind.BAD_CREDENTIALS, () -> service.login("nobody", "x".toCharArray(), "10.0.0.9"));
        assertKind(Kind.TOO_MANY_FAILURES, () -> service.login("ann", "password1".toCharArray(), "10.0.0.9"));
        assertThat(service.login("ann", "password1".toCharArray(), "10.0.0.10").name())
                .as("another address").isEqualTo("ann");
    }
}
