package org.eemqtt.broker.application;

import org.eemqtt.api.packet.DisconnectReasonCode;
import org.eemqtt.broker.domain.AclAuthorizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/** The broker's side of user administration: finds a user's connections among the sessions, applies changes. */
final class BrokerUsers implements LiveUsers {

    private static final Logger LOG = Logger.getLogger(BrokerUsers.class.getName());

    private final SessionRegistry sessions;
    private final Authenticator authenticator;
    private final AclAuthorizer authorizer;
    private final LoginThrottle throttle;
    private final String node;

    BrokerUsers(SessionRegistry sessions, Authenticator authenticator, AclAuthorizer authorizer,
                LoginThrottle throttle, String node) {
        this.node = node;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.throttle = throttle;
    }

    @Override
    public List<UserConnection> connectionsOf(String username) {
        return live(username).stream()
                .map(c -> new UserConnection(c.clientId(), c.connectedAt(), c.transport().remoteAddress(),
                        c.connectPacket().version().name(), node))
                .sorted(Comparator.comparing(UserConnection::connectedSince))
                .toList();
    }

    @Override
    public void changed(String username) {
        authenticator.forget(username);
        authorizer.refresh(username);
    }

    @Override
    public int removed(String username) {
        authenticator.forget(username);
        authorizer.forget(username);
        List<ClientConnection> connections = live(username);
        for (ClientConnection connection : connections) {
            LOG.info(() -> "MQTT client '" + connection.clientId() + "' of removed user '" + username
                    + "' disconnected");
            connection.close(DisconnectReasonCode.ADMINISTRATIVE_ACTION, "user removed"); // 5.0: DISCONNECT 0x98
        }
        return connections.size();
    }

    @Override
    public LoginThrottle loginThrottle() {
        return throttle;
    }

    private List<ClientConnection> live(String username) {
        List<ClientConnection> result = new ArrayList<>();
        for (ClientSession session : sessions.all()) {
            ClientConnection owner = session.owner();
            if (owner != null && Objects.equals(owner.username(), username)) {
                result.add(owner);
            }
        }
        return result;
    }
}
