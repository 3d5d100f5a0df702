package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

/** Checks MQTT credentials against the users store. Failures are logged without the password. */
final class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final boolean allowAnonymous;
    private final VerifiedLogins verified = new VerifiedLogins();
    private final LoginThrottle throttle;

    Authenticator(UserRepository users, PasswordHasher hasher, boolean allowAnonymous) {
        this(users, hasher, allowAnonymous, new LoginThrottle(0, 0, System::currentTimeMillis));
    }

    Authenticator(UserRepository users, PasswordHasher hasher, boolean allowAnonymous, LoginThrottle throttle) {
        this.users = users;
        this.hasher = hasher;
        this.allowAnonymous = allowAnonymous;
        this.throttle = throttle;
    }

    /** The user's password changed or the user is gone: no shortcut for the next login. */
    void forget(String username) {
        verified.forget(username);
    }

    ConnectReasonCode authenticate(String username, byte[] password, String remoteAddress) {
        if (username == null) {
            if (allowAnonymous) {
                return ConnectReasonCode.SUCCESS;
            }
            LOG.info(() -> "MQTT login refused from " + remoteAddress + ": no user name (anonymous access is off)");
            return ConnectReasonCode.NOT_AUTHORIZED;
        }
        if (throttle.refused(remoteAddress)) {
            // 5.0 0x9F connection rate exceeded (3.x: 0x03 server unavailable): try again later, whatever the password
            LOG.fine(() -> "MQTT login refused from " + remoteAddress + " for user '" + username
                    + "': too many failed logins from that address");
            return ConnectReasonCode.CONNECTION_RATE_EXCEEDED;
        }
        Optional<User> user = users.find(username);
        if (user.isPresent() && password != null && verify(user.get(), password)) {
            return ConnectReasonCode.SUCCESS;
        }
        boolean nowRefused = throttle.failed(remoteAddress);
        LOG.info(() -> "MQTT login refused from " + remoteAddress + ": bad user name or password for user '"
                + username + "'" + (nowRefused ? "; too many failed logins: the address is refused for a while"
                : ""));
        return ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD;
    }

    private boolean verify(User user, byte[] password) {
        if (verified.contains(user.name(), password, user.passwordHash())) {
            return true;
        }
        char[] secret = toChars(password);
        try {
            boolean valid = hasher.verify(secret, user.passwordHash());
            if (valid) {
                verified.remember(user.name(), password, user.passwordHash());
            }
            return valid;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private static char[] toChars(byte[] utf8) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8));
        char[] result = new char[chars.remaining()];
        chars.get(result);
        return result;
    }
}
