package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.SharedFilter;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The other nodes of a cluster, as the broker's flows see them. {@link #SINGLE_NODE} (clustering off) answers every
 * call at once and costs nothing; the Hazelcast implementation lives in the infrastructure.
 *
 * <p>What a cluster promises the flows: a message goes only to nodes that have a matching subscriber, in the order
 * this node forwarded it; a QoS 1/2 forward completes only once every such node has accepted the message (stored it
 * for its persistent sessions), so that the publisher's acknowledgement never runs ahead of a remote copy.
 */
public interface Cluster {

    /** What other nodes ask of this one. */
    interface Inbound {

        /**
         * A message forwarded by another node; completes with the number of local sessions it reached. Its share
         * groups get it only where {@code sharesHere} says the sending node chose this node to deliver for them.
         */
        CompletionStage<Integer> deliverForwarded(Message message, Predicate<SharedFilter> sharesHere);

        /**
         * A message another node handed over for one share group only (it had no member left that could take it):
         * one member here gets it, nobody else; returns whether one did.
         */
        default boolean deliverToShareGroup(Message message, SharedFilter group) {
            return false;
        }

        /** A forwarded message for which this node delivers every matching share group. */
        default CompletionStage<Integer> deliverForwarded(Message message) {
            return deliverForwarded(message, group -> true);
        }

        /**
         * The client connected to another node: a connection here is closed (0x8E) and its session leaves this
         * node. With a shared store the session is handed over ({@link
         * org.eemqtt.broker.domain.SessionStore#handOver}): the stage completes once its state is durable, and
         * only then is the other node told to go on; otherwise, and when the client starts clean there (its
         * session ends: a delayed will is due now), the session ends here. {@code node} is the node the client
         * connected to, {@code moveId} names this move there (its end names it again: {@link #moveEnded}).
         */
        CompletionStage<Void> takenOverElsewhere(String clientId, boolean cleanStart, String node, long moveId);

        /**
         * A message another node relayed for a session that moved from there to here (see {@link MovingSessions}):
         * delivered to that session only, once it is restored; completes with 1 once stored for it (0: no such
         * session). A session that has left here again gets it where it went.
         */
        default CompletionStage<Integer> deliverRelayed(String clientId, Message message) {
            return CompletableFuture.completedFuture(0);
        }

        /**
         * The session that moved from here in the move {@code moveId} is settled on its new node: relaying ends, once
         * relays to this node from where the session was before have stopped too; the stage completes then.
         */
        default CompletionStage<Void> moveEnded(String clientId, long moveId) {
            return CompletableFuture.completedFuture(null);
        }

        /** A node left the cluster (called on every node): nothing is relayed to it any more. */
        default void nodeGone(String node) {
        }

        /**
         * A node left the cluster (stopped or killed): called on the oldest remaining node only, off the cluster's
         * event thread, to adopt the sessions the node owned in a shared store.
         */
        default void nodeLeft(String node) {
        }

        /** Another node asks for the named users' connections on this node. */
        default Map<String, List<UserConnection>> userConnections(List<String> usernames) {
            return Map.of();
        }

        /**
         * A user was changed ({@code removed} false) or removed on another node: this node drops what it cached of
         * the user and, for a removal, closes the user's connections here; returns how many it closed.
         */
        default int userChanged(String username, boolean removed) {
            return 0;
        }
    }

    /** This node's name in the cluster, as the users API reports where a connection is. */
    default String nodeId() {
        return "local";
    }

    /**
     * The named users' connections on the other nodes, by user (each connection says its node). Fails when a node that is
     * still a member did not answer within the timeout.
     */
    default CompletionStage<Map<String, List<UserConnection>>> userConnections(List<String> usernames) {
        return CompletableFuture.completedFuture(Map.of());
    }

    /**
     * Tells the other nodes that a user changed or was removed; completes once every node applied it, with the
     * number of connections they closed. Fails when a node that is still a member did not confirm in time.
     */
    default CompletionStage<Integer> userChanged(String username, boolean removed) {
        return CompletableFuture.completedFuture(0);
    }

    /** The ids of the nodes that are members now, this one included. */
    default Set<String> liveNodes() {
        return Set.of(nodeId());
    }

    /**
     * Whether this node is the oldest member: the one that adopts the sessions of nodes that left (at its start,
     * those of every node that is gone), so that two nodes never adopt the same session.
     */
    default boolean oldest() {
        return true;
    }

    /** Starts taking part: called once, after this node's sessions were recovered and before clients connect. */
    void start(Inbound inbound, ScheduledExecutorService scheduler);

    /** Whether other nodes can exist: retained messages are then read from the cluster's copy. */
    boolean enabled();

    /**
     * A local session subscribed to {@code filter} (a non-shared subscription; share groups: {@link #shareAdded}).
     * Counted per filter; the stage completes once every other node knows that this node wants {@code filter}'s
     * messages, so that a SUBACK is not sent before a publish on another node would find the subscriber.
     */
    CompletionStage<Void> filterAdded(String filter);

    /** A local subscription to {@code filter} went away. */
    void filterRemoved(String filter);

    /**
     * A local session joined the share group {@code group} (counted per member): as {@link #filterAdded}, the stage
     * completes once every other node can choose this node for the group. Without a cluster-wide view of groups a
     * node simply wants the group's filter (each node then serves its own members).
     */
    default CompletionStage<Void> shareAdded(SharedFilter group) {
        return filterAdded(group.filter());
    }

    /** A local member left the share group {@code group}. */
    default void shareRemoved(SharedFilter group) {
        filterRemoved(group.filter());
    }

    /**
     * A message published here on its way: {@code remote} as {@link #forward}; {@code sharesHere} tells which of
     * the share groups matching the message this node delivers for (each group is delivered by one node only).
     */
    record Forwarding(CompletionStage<Integer> remote, Predicate<SharedFilter> sharesHere) {
    }

    /**
     * A message for {@code group} that no member on this node can take (the session it was queued or in flight for
     * ended, or the group's last member here left after another node chose this one): another node with members of
     * the group gets it, not confirmed. Returns whether there was one.
     */
    default boolean shareElsewhere(Message message, SharedFilter group) {
        return false;
    }

    /**
     * Forwards a message published on this node and chooses, for each share group matching its topic, the one node
     * whose member gets it. Without a cluster-wide view of groups every node serves its own members.
     */
    default Forwarding forwardPublished(Message message) {
        return new Forwarding(forward(message), group -> true);
    }

    /**
     * Forwards a message published on this node to the other nodes with a matching subscriber. Completes with the
     * number of sessions it reached there (0 for QoS 0, which is not confirmed), or fails when a node that is still a
     * member did not confirm a QoS 1/2 message within the timeout.
     */
    CompletionStage<Integer> forward(Message message);

    /** Records a retained message (or its deletion: empty payload) cluster-wide. */
    CompletionStage<Void> retainedChanged(Message message);

    /**
     * A retained message this node recovered from its own store at start: it joins the cluster's copy unless that
     * has one for its topic already (a newer one, set while this node was away).
     */
    void offerRetained(Message message);

    /** Calls {@code sink} with the cluster's retained messages matching {@code filter} (only when enabled). */
    void retainedMatching(String filter, Consumer<Message> sink);

    /**
     * This node now holds the client id, whose CONNECT asked for a clean start or not; completes once a connection
     * to another node has been taken over (and its session handed over or ended there).
     */
    CompletionStage<Void> claimClient(String clientId, boolean cleanStart);

    /**
     * Relays a message routed here to {@code node}, for the session {@code clientId} that moved there: completes with
     * the sessions it reached there once it is stored (0 for QoS 0, not confirmed), and fails as {@link #forward}
     * does.
     */
    default CompletionStage<Integer> relay(String node, String clientId, Message message) {
        return CompletableFuture.completedFuture(0);
    }

    /**
     * The session of a client claimed from another node is restored here and every node knows its subscriptions
     * (or it had none to move): the node it came from stops relaying to this one; completes once it did, at once
     * when the claim took nothing from another node.
     */
    default CompletionStage<Void> arrived(String clientId) {
        return CompletableFuture.completedFuture(null);
    }

    /** The client id's session ended on this node. */
    void releaseClient(String clientId);

    /** Clustering off: one node, nothing to tell anybody. */
    Cluster SINGLE_NODE = new SingleNodeCluster();
}
