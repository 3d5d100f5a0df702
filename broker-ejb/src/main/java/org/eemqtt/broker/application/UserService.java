package org.eemqtt.broker.application;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import org.eemqtt.broker.application.UserException.Kind;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.TopicAcl;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * User administration (the REST API's service): users, their roles and topic permissions, their live connections,
 * and the password check of the API's logins. Changes reach the running broker at once: a removed user's
 * connections are closed, a changed password or ACL applies to the next login and the next packet.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());

    /** Words of the API's paths ({@code /user/list}, {@code /user/status}) that no user may be called. */
    public static final Set<String> RESERVED_NAMES = Set.of("list", "status");
    public static final int MAX_PAGE_SIZE = 1000;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 256;
    static final int MAX_PATTERNS = 100;

    public record UserStatus(String user, boolean online, List<UserConnection> connections) {
    }

    public record UserPage(List<User> users, int page, int size, long total) {
    }

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    BrokerService broker;

    private LiveUsers live;

    public UserService() {
        // for the container
    }

    UserService(UserRepository users, PasswordHasher hasher, LiveUsers live) {
        this.users = users;
        this.hasher = hasher;
        this.live = live;
    }

    private LiveUsers live() {
        if (live == null) {
            live = broker.liveUsers();
        }
        return live;
    }

    public User create(String name, String password, Set<String> roles) {
        checkName(name);
        checkPassword(password);
        Set<String> checkedRoles = checkRoles(roles == null ? Set.of() : roles);
        User user = new User(name, hasher.hash(password.toCharArray()), checkedRoles);
        if (!users.create(user)) {
            throw new UserException(Kind.CONFLICT, "user '" + name + "' exists already");
        }
        live().changed(name); // an ACL cached for an earlier user of this name goes
        LOG.info(() -> "User '" + name + "' created with roles " + checkedRoles);
        return get(name);
    }

    public User get(String name) {
        return users.find(name).orElseThrow(() -> new UserException(Kind.NOT_FOUND, "no user '" + name + "'"));
    }

    /** Sets a new password and/or new roles (null: unchanged). The last administrator keeps the admin role. */
    public User update(String name, String password, Set<String> roles) {
        if (password == null && roles == null) {
            throw new UserException(Kind.INVALID, "nothing to change: give a password, roles or both");
        }
        User user = get(name);
        if (password != null) {
            checkPassword(password);
            user = user.withPasswordHash(hasher.hash(password.toCharArray()));
        }
        if (roles != null) {
            Set<String> checkedRoles = checkRoles(roles);
            if (user.isAdmin() && !checkedRoles.contains(User.ADMIN_ROLE) && adminCount() <= 1) {
                throw new UserException(Kind.CONFLICT, "'" + name + "' is the last user with the admin role");
            }
            user = user.withRoles(checkedRoles);
        }
        users.save(user);
        live().changed(name);
        LOG.info(() -> "User '" + name + "' changed" + (password != null ? " (password)" : "")
                + (roles != null ? " (roles " + roles + ")" : ""));
        return get(name);
    }

    /** Removes the user and closes its MQTT connections; returns how many were closed. */
    public int delete(String name) {
        User user = get(name);
        if (user.isAdmin() && adminCount() <= 1) {
            throw new UserException(Kind.CONFLICT, "'" + name + "' is the last user with the admin role");
        }
        if (!users.delete(name)) {
            throw new UserException(Kind.NOT_FOUND, "no user '" + name + "'");
        }
        int closed = live().removed(name);
        LOG.info(() -> "User '" + name + "' removed; " + closed + " connection(s) closed");
        return closed;
    }

    /** Users by name, {@code size} per page, page 0 first. */
    public UserPage list(int page, int size) {
        if (page < 0) {
            throw new UserException(Kind.INVALID, "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new UserException(Kind.INVALID, "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        long offset = (long) page * size;
        List<User> found = offset > Integer.MAX_VALUE ? List.of() : users.page((int) offset, size);
        return new UserPage(found, page, size, users.count());
    }

    public UserStatus status(String name) {
        get(name);
        List<UserConnection> connections = live().connectionsOf(name);
        return new UserStatus(name, !connections.isEmpty(), connections);
    }

    /** The status of each named user, in the order asked; every name must be a user. */
    public List<UserStatus> status(List<String> names) {
        if (names.isEmpty()) {
            throw new UserException(Kind.INVALID, "name at least one user");
        }
        if (names.size() > MAX_PAGE_SIZE) {
            throw new UserException(Kind.INVALID, "at most " + MAX_PAGE_SIZE + " users at a time");
        }
        List<String> unknown = names.stream().filter(n -> users.find(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new UserException(Kind.NOT_FOUND, "no user " + unknown);
        }
        List<UserStatus> result = new ArrayList<>();
        // one question for all names: in a cluster it is one round trip to the other nodes
        live().connectionsOf(List.copyOf(new LinkedHashSet<>(names))).forEach((name, connections) ->
                result.add(new UserStatus(name, !connections.isEmpty(), connections)));
        return result;
    }

    /** The user's topic permissions; null when none are set (then only mqtt.denied.filters limits the user). */
    public TopicAcl acl(String name) {
        return get(name).acl();
    }

    /** Sets the user's topic permissions (null: removes them); connected clients are checked against them at once. */
    public TopicAcl setAcl(String name, List<String> publish, List<String> subscribe) {
        User user = get(name);
        TopicAcl acl = null;
        if (publish != null || subscribe != null) {
            acl = new TopicAcl(checkPatterns("publish", publish), checkPatterns("subscribe", subscribe));
        }
        users.save(user.withAcl(acl));
        live().changed(name);
        TopicAcl stored = acl;
        LOG.info(() -> "ACL of user '" + name + "' " + (stored == null ? "removed" : "set to " + stored));
        return acl;
    }

    /**
     * Checks an API login: the user, its password and the admin role are the caller's business, failed ones count
     * towards the address's limit. Failures are logged without the password.
     *
     * @throws UserException TOO_MANY_FAILURES while the address is refused, BAD_CREDENTIALS for a failed login
     */
    public User login(String name, char[] password, String remoteAddress) {
        LoginThrottle throttle = live().loginThrottle();
        if (throttle.refused(remoteAddress)) {
            throw new UserException(Kind.TOO_MANY_FAILURES, "too many failed logins from " + remoteAddress
                    + "; try again later");
        }
        User user = name == null ? null : users.find(name).orElse(null);
        if (user != null && password != null && hasher.verify(password, user.passwordHash())) {
            return user;
        }
        boolean nowRefused = throttle.failed(remoteAddress);
        LOG.info(() -> "REST login refused from " + remoteAddress + ": bad user name or password for user '" + name
                + "'" + (nowRefused ? "; too many failed logins: the address is refused for a while" : ""));
        throw new UserException(Kind.BAD_CREDENTIALS, "bad user name or password");
    }

    /** Whether logins from this address are refused now (too many failures). */
    public boolean loginRefused(String remoteAddress) {
        return live().loginThrottle().refused(remoteAddress);
    }

    private long adminCount() {
        long admins = 0;
        int pageSize = 500;
        for (int offset = 0; ; offset += pageSize) {
            List<User> batch = users.page(offset, pageSize);
            admins += batch.stream().filter(User::isAdmin).count();
            if (batch.size() < pageSize) {
                return admins;
            }
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UserException(Kind.INVALID, "a user name is 1 to 128 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit");
        }
        if (RESERVED_NAMES.contains(name)) {
            throw new UserException(Kind.INVALID, "'" + name + "' is reserved");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new UserException(Kind.INVALID, "a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
    }

    private static Set<String> checkRoles(Set<String> roles) {
        if (roles.size() > 16) {
            throw new UserException(Kind.INVALID, "at most 16 roles");
        }
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw new UserException(Kind.INVALID, "a role is 1 to 32 lower-case letters, digits, '_' or '-', "
                        + "starting with a letter: '" + role + "'");
            }
        }
        return Set.copyOf(roles);
    }

    private static List<String> checkPatterns(String kind, List<String> patterns) {
        if (patterns == null) {
            return List.of();
        }
        if (patterns.size() > MAX_PATTERNS) {
            throw new UserException(Kind.INVALID, "at most " + MAX_PATTERNS + " " + kind + " patterns");
        }
        for (String pattern : patterns) {
            String reason = TopicAcl.invalidReason(pattern);
            if (reason != null) {
                throw new UserException(Kind.INVALID, kind + ": " + reason);
            }
        }
        return List.copyOf(patterns);
    }
}
