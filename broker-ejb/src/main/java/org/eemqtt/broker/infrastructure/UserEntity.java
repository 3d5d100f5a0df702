package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eemqtt.broker.domain.User;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** A row of the users table; the domain's {@link User} is its plain view. */
@Entity
@Table(name = "MQTT_USER")
public class UserEntity {

    @Id
    @Column(name = "USER_NAME", length = 128)
    private String name;

    @Column(name = "PASSWORD_HASH", length = 512, nullable = false)
    private String passwordHash;

    @Column(name = "ROLES", length = 1024, nullable = false)
    private String roles;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    protected UserEntity() {
        // for JPA
    }

    UserEntity(User user) {
        this.createdAt = Instant.now();
        update(user);
    }

    void update(User user) {
        this.name = user.name();
        this.passwordHash = user.passwordHash();
        this.roles = String.join(",", new TreeSet<>(user.roles()));
    }

    User toUser() {
        Set<String> roleSet = new TreeSet<>(Arrays.asList(roles.split(",")));
        roleSet.remove("");
        return new User(name, passwordHash, roleSet);
    }
}
