package org.eemqtt.broker.application;

import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.AuthPacket;
import org.eemqtt.api.packet.AuthReasonCode;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.broker.domain.PasswordHasher;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;
import org.eemqtt.broker.domain.auth.DecoyCredentials;
import org.eemqtt.broker.domain.auth.Scram;
import org.eemqtt.broker.domain.auth.ScramClientFirst;
import org.eemqtt.broker.domain.auth.ScramCredentials;
import org.eemqtt.broker.domain.auth.ScramException;
import org.eemqtt.broker.domain.auth.ScramSha256Server;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * MQTT 5.0 enhanced authentication (section 4.12) with SCRAM-SHA-256 against the users store: a CONNECT with an
 * Authentication Method starts it here; {@link PendingAuthentication} takes the client's answer, and
 * {@link ReAuthentication} handles AUTH 0x19 after CONNACK.
 */
final class EnhancedAuthFlow {

    private static final Logger LOG = Logger.getLogger(EnhancedAuthFlow.class.getName());
    /** Iterations of the decoy credentials: those of the broker's own hashes (Pbkdf2PasswordHasher). */
    private static final int DECOY_ITERATIONS = 10_000;

    /** A client that proved its password: its CONNECT (user name = the SCRAM user) and what CONNACK carries. */
    record Authenticated(ConnectPacket connect, byte[] serverFinal, ReAuthentication reauthentication) {
    }

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final ScheduledExecutorService scheduler;
    private final int timeoutSeconds;
    private final DecoyCredentials decoys = new DecoyCredentials(DECOY_ITERATIONS);
    private final Supplier<String> nonces = Scram::randomNonce;
    private LoginThrottle throttle = new LoginThrottle(0, 0, System::currentTimeMillis);

    /**
     * @param timeoutSeconds how long a client may take to answer a challenge before CONNACK (the connect timeout:
     *                       the transport's own stops at CONNECT, and keep-alive starts only at CONNACK)
     */
    EnhancedAuthFlow(UserRepository users, PasswordHasher hasher, ScheduledExecutorService scheduler,
                     int timeoutSeconds) {
        this.users = users;
        this.hasher = hasher;
        this.scheduler = scheduler;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Failed SCRAM logins count towards the address's limit, as failed password logins do. */
    void throttle(LoginThrottle loginThrottle) {
        this.throttle = loginThrottle;
    }

    /** A SCRAM proof failed (PendingAuthentication). */
    void failed(String remoteAddress) {
        throttle.failed(remoteAddress);
    }

    /**
     * A CONNECT with an Authentication Method, on the container thread: looks the user up, sends the challenge
     * (AUTH 0x18 with server-first-message, MQTT-4.12.0-2) and returns the handler that waits for the answer.
     *
     * @param accept opens the session and sends CONNACK once the client proved its password; must not block
     */
    ConnectionHandler begin(MqttConnection transport, ConnectPacket connect,
                            Function<Authenticated, CompletionStage<ConnectionHandler>> accept) {
        String method = connect.authenticationMethod();
        if (!Scram.MECHANISM.equals(method)) {
            // MQTT-4.12.0-1: an unsupported method is refused with 0x8C and the connection closed
            return ConnectFlow.refuse(transport, ConnectReasonCode.BAD_AUTHENTICATION_METHOD,
                    "authentication method '" + method + "' is not supported");
        }
        if (throttle.refused(transport.remoteAddress())) {
            return ConnectFlow.refuse(transport, ConnectReasonCode.CONNECTION_RATE_EXCEEDED,
                    "too many failed logins from this address");
        }
        ScramLogin login;
        ScramSha256Server exchange;
        try {
            ScramClientFirst clientFirst = ScramClientFirst.parse(connect.authenticationData());
            login = lookUp(clientFirst.username());
            exchange = login.exchange(clientFirst, nonces.get());
        } catch (ScramException e) {
            return ConnectFlow.refuse(transport, ConnectReasonCode.NOT_AUTHORIZED, "SCRAM: " + e.getMessage());
        }
        PendingAuthentication pending = new PendingAuthentication(this, transport, connect, login, exchange, accept);
        pending.armTimeout(scheduler, timeoutSeconds);
        transport.send(new AuthPacket(AuthReasonCode.CONTINUE_AUTHENTICATION, method, exchange.serverFirst(),
                null)); // MQTT-4.12.0-5: every AUTH carries the CONNECT's method
        return pending;
    }

    /** The user's SCRAM credentials, or decoys that fail at the proof (RFC 5802 section 9). */
    ScramLogin lookUp(String username) {
        Optional<User> user = users.find(username);
        Optional<ScramCredentials> credentials = user.flatMap(u -> hasher.scramCredentials(u.passwordHash()));
        if (credentials.isPresent()) {
            return new ScramLogin(username, credentials.get(), null);
        }
        if (user.isPresent()) {
            LOG.info(() -> "MQTT user '" + username + "' has a stored hash SCRAM-SHA-256 cannot use "
                    + "(it needs PBKDF2WithHmacSHA256); SCRAM login will fail");
        }
        return new ScramLogin(username, decoys.forUser(username),
                user.isPresent() ? ConnectReasonCode.NOT_AUTHORIZED : ConnectReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    String newNonce() {
        return nonces.get();
    }

    /** The connection's state for later re-authentication (5.0 4.12.1), bound to the authenticated user. */
    ReAuthentication reauthentication(String method, ScramLogin login) {
        return new ReAuthentication(this, method, login);
    }

    /**
     * The CONNECT as the rest of the broker sees it: the user is the one SCRAM authenticated (a user name field
     * in the CONNECT is overruled by the method, its password never checked).
     */
    static ConnectPacket authenticatedAs(ConnectPacket c, String username) {
        return new ConnectPacket(c.version(), c.clientId(), c.cleanStart(), c.keepAliveSeconds(), username, null,
                c.will(), c.sessionExpiryInterval(), c.receiveMaximum(), c.maximumPacketSize(),
                c.topicAliasMaximum(), c.requestResponseInformation(), c.requestProblemInformation(),
                c.userProperties(), c.authenticationMethod(), c.authenticationData());
    }
}
