package org.eemqtt.broker.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

import java.util.Set;
import java.util.logging.Logger;

/** The users a first start needs: as in the original server, guest/guest when the store has no users. */
@ApplicationScoped
public class UserBootstrap {

    private static final Logger LOG = Logger.getLogger(UserBootstrap.class.getName());
    static final String GUEST = "guest";

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    public void ensureDefaultUser() {
        if (users.count() == 0) {
            users.save(new User(GUEST, hasher.hash(GUEST.toCharArray()), Set.of("user")));
            LOG.warning("No users yet: created user 'guest' with password 'guest'. Change it before going live.");
        }
    }
}
