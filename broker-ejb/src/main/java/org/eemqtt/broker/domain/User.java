package org.eemqtt.broker.domain;

import java.util.Set;

/** A user who may log in over MQTT (and, with the admin role, manage users). */
public record User(String name, String passwordHash, Set<String> roles) {

    public User {
        roles = Set.copyOf(roles);
    }
}
