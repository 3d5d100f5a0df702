package org.eemqtt.broker.domain;

import java.util.Optional;

/** Where users are kept. */
public interface UserRepository {

    Optional<User> find(String name);

    void save(User user);

    long count();
}
