package org.eemqtt.broker.domain;

import java.util.List;
import java.util.Optional;

/** Where users are kept. */
public interface UserRepository {

    Optional<User> find(String name);

    /** Stores a new user or replaces the password hash, roles and ACL of an existing one (creation time stays). */
    void save(User user);

    /** Stores a user unless one of that name exists; false when it exists. */
    default boolean create(User user) {
        if (find(user.name()).isPresent()) {
            return false;
        }
        save(user);
        return true;
    }

    /** Removes the user; false when there was none. */
    boolean delete(String name);

    /** Users ordered by name, {@code limit} of them from position {@code offset}. */
    List<User> page(int offset, int limit);

    long count();
}
