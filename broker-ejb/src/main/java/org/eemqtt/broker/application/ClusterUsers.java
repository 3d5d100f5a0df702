package org.eemqtt.broker.application;

import org.eemqtt.broker.application.UserException.Kind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * The users service's view of the whole cluster: this node's users ({@link BrokerUsers}) plus what the other nodes
 * answer through the {@link Cluster} port. Without a cluster the port answers at once with nothing, and this is the
 * local view.
 *
 * <p>Why ask the other nodes at the moment of a status request rather than keep a cluster-wide map of connections:
 * connecting is the hot path (thousands of devices reconnecting at once) and a map entry per connection would add a
 * remote write to every CONNECT and every disconnect, while the status is read rarely, by an administrator. The
 * answer is also always current, and a node that left is simply no longer asked, so no stale entries of a dead node
 * can be shown.
 *
 * <p>Changes wait for every node's confirmation, so that when the REST call answers, the removed user's connections
 * are closed everywhere and an ACL applies everywhere. The store is written before the other nodes are told: a node
 * that misses the news (timeout) still reads the new state at the user's next login.
 */
final class ClusterUsers implements LiveUsers {

    private static final Logger LOG = Logger.getLogger(ClusterUsers.class.getName());

    private final LiveUsers local;
    private final Cluster cluster;

    ClusterUsers(LiveUsers local, Cluster cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    /** What this node answers when another node asks (the cluster's inbound side). */
    Map<String, List<UserConnection>> localConnections(List<String> usernames) {
        return local.connectionsOf(usernames);
    }

    /** Another node changed or removed the user: applied here, never passed on again. */
    int changedElsewhere(String username, boolean removed) {
        if (removed) {
            return local.removed(username);
        }
        local.changed(username);
        return 0;
    }

    @Override
    public List<UserConnection> connectionsOf(String username) {
        return connectionsOf(List.of(username)).get(username);
    }

    @Override
    public Map<String, List<UserConnection>> connectionsOf(List<String> usernames) {
        // the question leaves first, so the other nodes look while this one does
        CompletionStage<Map<String, List<UserConnection>>> remote = cluster.userConnections(usernames);
        Map<String, List<UserConnection>> result = new LinkedHashMap<>();
        local.connectionsOf(usernames).forEach((name, connections) -> result.put(name, new ArrayList<>(connections)));
        await(remote, "the connections of " + usernames).forEach((name, connections) -> {
            List<UserConnection> known = result.get(name);
            if (known != null) { // only names asked; another node cannot add users
                known.addAll(connections);
            }
        });
        result.replaceAll((name, connections) -> connections.stream()
                .sorted(Comparator.comparing(UserConnection::connectedSince)).toList());
        return result;
    }

    @Override
    public void changed(String username) {
        local.changed(username);
        tellOthers(username, false);
    }

    @Override
    public int removed(String username) {
        int closed = local.removed(username);
        return closed + tellOthers(username, true);
    }

    @Override
    public LoginThrottle loginThrottle() {
        return local.loginThrottle();
    }

    private int tellOthers(String username, boolean removed) {
        return await(cluster.userChanged(username, removed), (removed ? "the removal" : "the change")
                + " of user '" + username + "'");
    }

    private static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            LOG.warning(() -> "Cluster: " + what + " not answered by every node: " + reason);
            throw new UserException(Kind.UNAVAILABLE, "not every cluster node answered (" + reason
                    + "); try again");
        }
    }
}
