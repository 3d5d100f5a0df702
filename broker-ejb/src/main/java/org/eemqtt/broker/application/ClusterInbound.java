package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** What other nodes ask of this one, answered by the broker's flows. */
final class ClusterInbound implements Cluster.Inbound {

    private final MessageRouter router;
    private final SessionMoves moves;
    private final ClusterUsers users;

    /** {@code users} null: no users service here (unit tests), so no user has connections or cached logins. */
    ClusterInbound(MessageRouter router, SessionMoves moves, ClusterUsers users) {
        this.router = router;
        this.moves = moves;
        this.users = users;
    }

    @Override
    public CompletionStage<Integer> deliverForwarded(Message message, Predicate<SharedFilter> sharesHere) {
        return router.publishForwarded(message, sharesHere);
    }

    @Override
    public boolean deliverToShareGroup(Message message, SharedFilter group) {
        return router.publishToShareGroup(message, group);
    }

    @Override
    public CompletionStage<Void> takenOverElsewhere(String clientId, boolean cleanStart, String node, long moveId) {
        return moves.takenOverElsewhere(clientId, cleanStart, node, moveId);
    }

    @Override
    public CompletionStage<Integer> deliverRelayed(String clientId, Message message) {
        // once the session arrived here; if it has left again by then, the message follows it
        return router.moving().afterRestore(clientId, () -> router.deliverToMoved(clientId, message));
    }

    @Override
    public CompletionStage<Void> moveEnded(String clientId, long moveId) {
        return router.moving().released(clientId, moveId);
    }

    @Override
    public void nodeGone(String node) {
        router.moving().nodeGone(node);
    }

    @Override
    public void nodeLeft(String node) {
        moves.nodeLeft(node);
    }

    @Override
    public Map<String, List<UserConnection>> userConnections(List<String> usernames) {
        return users == null ? Map.of() : users.localConnections(usernames);
    }

    @Override
    public int userChanged(String username, boolean removed) {
        return users == null ? 0 : users.changedElsewhere(username, removed);
    }
}
