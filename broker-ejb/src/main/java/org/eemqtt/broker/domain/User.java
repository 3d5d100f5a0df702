package org.eemqtt.broker.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A user who may log in over MQTT (and, with the admin role, manage users through the REST API).
 *
 * @param created when the user was stored first (null for a user not stored yet)
 * @param acl     the user's topic permissions; null means none are set, and the user may use every topic that
 *                {@code mqtt.denied.filters} leaves (the usual broker default)
 */
public record User(String name, String passwordHash, Set<String> roles, Instant created, TopicAcl acl) {

    public static final String ADMIN_ROLE = "admin";

    public User {
        roles = Set.copyOf(roles);
    }

    public User(String name, String passwordHash, Set<String> roles) {
        this(name, passwordHash, roles, null, null);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }

    public User withPasswordHash(String hash) {
        return new User(name, hash, roles, created, acl);
    }

    public User withRoles(Set<String> newRoles) {
        return new User(name, passwordHash, newRoles, created, acl);
    }

    public User withAcl(TopicAcl newAcl) {
        return new User(name, passwordHash, roles, created, newAcl);
    }
}
