package org.eemqtt.broker.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The users a start needs. An administrator for the REST API: when no user has the admin role, {@code admin} is
 * created with the password of {@code mqtt.admin.password}, or else a random one that is logged this once. The
 * original server's guest/guest only when {@code mqtt.guest.password} asks for it: a broker must not ship a known
 * password.
 */
@ApplicationScoped
public class UserBootstrap {

    private static final Logger LOG = Logger.getLogger(UserBootstrap.class.getName());
    static final String GUEST = "guest";
    static final String ADMIN = "admin";

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    public void ensureDefaultUsers(UserSettings settings) {
        ensureDefaultUsers(users, hasher, settings);
    }

    static void ensureDefaultUsers(UserRepository users, PasswordHasher hasher, UserSettings settings) {
        if (!settings.guestPassword().isEmpty() && users.find(GUEST).isEmpty()) {
            users.save(new User(GUEST, hasher.hash(settings.guestPassword().toCharArray()), Set.of("user")));
            LOG.warning(() -> "mqtt.guest.password is set: created user 'guest'. Remove the setting and the user "
                    + "before going live.");
        }
        if (!hasAdmin(users) && users.find(ADMIN).isEmpty()) {
            String password = settings.adminPassword();
            boolean random = password.isEmpty();
            if (random) {
                byte[] bytes = new byte[18];
                new SecureRandom().nextBytes(bytes);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
            users.save(new User(ADMIN, hasher.hash(password.toCharArray()), Set.of(User.ADMIN_ROLE)));
            if (random) {
                // the only time this password is shown: it is not stored anywhere in clear
                LOG.warning("No administrator yet: created user 'admin' with password '" + password
                        + "' (shown once; set mqtt.admin.password to choose it)");
            } else {
                LOG.info("No administrator yet: created user 'admin' with the password of mqtt.admin.password");
            }
        }
    }

    private static boolean hasAdmin(UserRepository users) {
        int page = 500;
        for (int offset = 0; ; offset += page) {
            var batch = users.page(offset, page);
            if (batch.stream().anyMatch(User::isAdmin)) {
                return true;
            }
            if (batch.size() < page) {
                return false;
            }
        }
    }
}
