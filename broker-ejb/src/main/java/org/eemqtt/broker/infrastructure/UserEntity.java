package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import org.eemqtt.broker.domain.TopicAcl;
import org.eemqtt.broker.domain.User;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A row of the users table; the domain's {@link User} is its plain view. The ACL columns came later: a database of
 * an older version gets them added (create-or-extend-tables), empty, which means "no ACL" for its users.
 */
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

    /** Publish patterns one per line (patterns hold no control characters); null: the user has no ACL. */
    @Lob
    @Column(name = "ACL_PUBLISH")
    private String aclPublish;

    /** Subscribe patterns one per line; null when {@link #aclPublish} is. */
    @Lob
    @Column(name = "ACL_SUBSCRIBE")
    private String aclSubscribe;

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
        TopicAcl acl = user.acl();
        this.aclPublish = acl == null ? null : String.join("\n", acl.publish());
        this.aclSubscribe = acl == null ? null : String.join("\n", acl.subscribe());
    }

    User toUser() {
        Set<String> roleSet = new TreeSet<>(Arrays.asList(roles.split(",")));
        roleSet.remove("");
        TopicAcl acl = aclPublish == null ? null : new TopicAcl(lines(aclPublish), lines(aclSubscribe));
        return new User(name, passwordHash, roleSet, createdAt, acl);
    }

    private static List<String> lines(String column) {
        return column == null || column.isEmpty() ? List.of() : List.of(column.split("\n"));
    }
}
