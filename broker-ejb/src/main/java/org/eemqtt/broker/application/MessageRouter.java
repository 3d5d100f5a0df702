package org.eemqtt.broker.application;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Recipient;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.SharedSubscriptions;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.SubscriptionTree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Routes published messages to the sessions whose subscriptions match: one copy per session at the highest QoS its
 * matching subscriptions grant (MQTT-3.3.5-1), carrying every matching subscription identifier; and, independently
 * of those, one copy per matching share group to the member the group chooses (5.0 4.8.2, see {@link SharedDelivery}).
 */
final class MessageRouter {

    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final SessionStore store;
    private final SharedDelivery shared;
    private final Cluster cluster;
    private final MovingSessions moving;
    /** Numbers the publications of this node, for their cluster-wide name ({@link Message#clusterId()}). */
    private final AtomicLong published = new AtomicLong();

    MessageRouter(SubscriptionTree subscriptions, RetainedMessages retained, SessionRegistry sessions,
                  SessionStore store) {
        this(subscriptions, new SharedSubscriptions(), retained, sessions, store, Cluster.SINGLE_NODE);
    }

    MessageRouter(SubscriptionTree subscriptions, RetainedMessages retained, SessionRegistry sessions,
                  SessionStore store, Cluster cluster) {
        this(subscriptions, new SharedSubscriptions(), retained, sessions, store, cluster);
    }

    MessageRouter(SubscriptionTree subscriptions, SharedSubscriptions sharedSubscriptions, RetainedMessages retained,
                  SessionRegistry sessions, SessionStore store, Cluster cluster) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.sessions = sessions;
        this.store = store;
        this.shared = new SharedDelivery(sharedSubscriptions, sessions, cluster);
        this.cluster = cluster;
        this.moving = new MovingSessions(cluster);
    }

    /** Sessions moving between nodes: what this router relays and deduplicates for them. */
    MovingSessions moving() {
        return moving;
    }

    /** One session's merged view of the subscriptions that matched a message. */
    private static final class Target {
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainAsPublished;
        final List<Integer> identifiers = new ArrayList<>(1);
    }

    /**
     * Publishes a message; the stage completes, with the number of sessions it reached, once the message is stored
     * for them and handed to their sessions, on this node and on every other node it goes to: the publisher's
     * acknowledgement waits for it.
     */
    CompletionStage<Integer> publish(Message published) {
        Message message = cluster.enabled() && published.clusterId() == null
                ? published.withClusterId(cluster.nodeId() + "/" + this.published.incrementAndGet()) : published;
        CompletionStage<Void> retainStored = CompletableFuture.completedFuture(null);
        if (message.retain()) {
            retained.retain(message);
            // queued before the copies: one commit holds both, and the acknowledgement waits for the later
            retainStored = store.retainedChanged(message).thenCombine(cluster.retainedChanged(message), (a, b) -> a);
        }
        // forwarded here, on the publisher's thread, so that other nodes get one publisher's messages in order
        Cluster.Forwarding forwarding = cluster.forwardPublished(message);
        return publishLocally(message, retainStored, forwarding.sharesHere(), null).thenCombine(forwarding.remote(),
                Integer::sum);
    }

    /**
     * A message another node forwarded: its retained copy is that node's business (see {@link Cluster}); its share
     * groups get it here only where that node chose this one ({@code sharesHere}).
     */
    CompletionStage<Integer> publishForwarded(Message message, Predicate<SharedFilter> sharesHere) {
        return publishLocally(message, CompletableFuture.completedFuture(null), sharesHere, null);
    }

    /**
     * A message another node relayed for the session {@code clientId} (see {@link MovingSessions}): to that session
     * only, as its subscriptions here grant it.
     */
    CompletionStage<Integer> publishTo(String clientId, Message message) {
        return publishLocally(message, CompletableFuture.completedFuture(null), group -> false, clientId);
    }

    /**
     * A message for a session that moved (a relay from its old node, or one held while it settled here): to that
     * session here, or on to where it went if it has left again.
     */
    CompletionStage<Integer> deliverToMoved(String clientId, Message message) {
        CompletionStage<Integer> onward = moving.relayOnward(clientId, message);
        return onward != null ? onward : publishTo(clientId, message);
    }

    /** A message another node handed over for one share group: see {@link Cluster.Inbound#deliverToShareGroup}. */
    boolean publishToShareGroup(Message message, SharedFilter group) {
        return shared.deliverHere(message, group);
    }

    /** {@code onlyClient}: the one session to deliver to (a relayed message), or null for all. */
    private CompletionStage<Integer> publishLocally(Message message, CompletionStage<Void> retainStored,
                                                    Predicate<SharedFilter> sharesHere, String onlyClient) {
        if (!cluster.enabled()) {
            return route(message, retainStored, sharesHere, onlyClient);
        }
        // a session leaving this node goes either before the match (relayed) or after the store has its copy
        Lock routing = moving.routing();
        routing.lock();
        try {
            return route(message, retainStored, sharesHere, onlyClient);
        } finally {
            routing.unlock();
        }
    }

    private CompletionStage<Integer> route(Message message, CompletionStage<Void> retainStoredStage,
                                           Predicate<SharedFilter> sharesHere, String onlyClient) {
        CompletionStage<Void> retainStored = retainStoredStage;
        Map<String, Target> targets = new HashMap<>();
        subscriptions.match(message.topic(), subscription -> {
            if (subscription.noLocal() && subscription.clientId().equals(message.publisherClientId())
                    || onlyClient != null && !onlyClient.equals(subscription.clientId())) {
                return; // MQTT-3.8.3-3, or not the one session a relayed message is for
            }
            Target target = targets.computeIfAbsent(subscription.clientId(), id -> new Target());
            if (subscription.maximumQoS().value() > target.qos.value()) {
                target.qos = subscription.maximumQoS();
            }
            target.retainAsPublished |= subscription.retainAsPublished();
            if (subscription.identifier() > 0) {
                target.identifiers.add(subscription.identifier());
            }
        });
        // a session settling here after a move gets what did not come relayed once all relayed messages are in
        CompletionStage<Integer> afterMove = CompletableFuture.completedFuture(0);
        if (onlyClient == null) {
            for (Iterator<String> it = targets.keySet().iterator(); it.hasNext(); ) {
                String clientId = it.next();
                CompletionStage<Integer> later = moving.afterSettle(clientId, () -> deliverToMoved(clientId, message));
                if (later != null) {
                    it.remove();
                    afterMove = afterMove.thenCombine(later, Integer::sum);
                }
            }
        }
        // and each publication once, relayed or sent here (counted when routed to it, not when held)
        targets.keySet().removeIf(clientId -> !moving.admits(clientId, message));
        // one that moved away gets it relayed unless a session here of the same client id took it
        CompletionStage<Integer> relayed = onlyClient == null ? moving.relay(message, targets.keySet())
                : CompletableFuture.completedFuture(0);
        // Each group chooses now, so that the store learns every recipient; shared copies are independent of the
        // non-shared one a member may also get (5.0 4.8.2).
        List<SharedDelivery.Pick> picks = shared.choose(message, sharesHere);
        List<Recipient> recipients = new ArrayList<>(targets.size() + picks.size());
        targets.forEach((clientId, target) -> recipients.add(new Recipient(clientId,
                QoS.min(message.qos(), target.qos), target.retainAsPublished && message.retain(),
                target.identifiers, null)));
        // A session with a matching subscription and a share group membership gets two copies; the store keeps one
        // copy per session and message: the non-shared one (a shared copy beside it is delivered, not stored).
        Set<String> storedFor = new HashSet<>(targets.keySet());
        boolean[] pickStored = new boolean[picks.size()];
        for (int i = 0; i < picks.size(); i++) {
            Subscription member = picks.get(i).member();
            pickStored[i] = storedFor.add(member.clientId());
            if (!pickStored[i]) {
                continue;
            }
            SharedDelivery.Pick pick = picks.get(i);
            recipients.add(new Recipient(member.clientId(), QoS.min(message.qos(), member.maximumQoS()),
                    member.retainAsPublished() && message.retain(),
                    member.identifier() > 0 ? List.of(member.identifier()) : List.of(), pick.group().filter()
                    .topicFilter()));
        }
        CompletionStage<Long> stored = message.qos() == QoS.AT_MOST_ONCE || recipients.isEmpty()
                ? CompletableFuture.completedFuture(0L)
                : store.messageAccepted(message, recipients);
        if (message.qos() == QoS.AT_MOST_ONCE) {
            retainStored = CompletableFuture.completedFuture(null); // QoS 0 is not acknowledged: written lazily
        }
        return stored.thenCombine(retainStored, (storeId, retainDone) -> {
            targets.forEach((clientId, target) -> {
                ClientSession session = sessions.get(clientId);
                if (session != null) {
                    // MQTT-3.3.1-9 / 5.0 3.3.1.3: live messages go out with RETAIN 0 unless retain-as-published
                    session.deliver(new OutboundMessage(message, QoS.min(message.qos(), target.qos),
                            target.retainAsPublished && message.retain(), target.identifiers, null, storeId));
                }
            });
            for (int i = 0; i < picks.size(); i++) {
                shared.deliver(message, picks.get(i), pickStored[i] ? storeId : 0);
            }
            return targets.size() + picks.size();
        }).thenCombine(relayed, Integer::sum).thenCombine(afterMove, Integer::sum);
    }

    /** The retained messages a new subscription receives, with the retain flag set (MQTT-3.3.1-8). */
    void sendRetained(ClientSession session, Subscription subscription) {
        List<Integer> identifiers = subscription.identifier() > 0 ? List.of(subscription.identifier()) : List.of();
        Consumer<Message> send = message -> session.deliver(
                new OutboundMessage(message, QoS.min(message.qos(), subscription.maximumQoS()), true, identifiers));
        if (cluster.enabled()) {
            // every node writes its retained messages to the cluster's copy, which is therefore the whole truth
            cluster.retainedMatching(subscription.topicFilter(), send);
        } else {
            retained.matching(subscription.topicFilter(), send);
        }
    }

    /**
     * Adds a subscription: to its share group when its filter is {@code $share/...}, else to the tree. Completes
     * once the other nodes of a cluster know this node wants the filter's messages.
     */
    CompletionStage<Void> addSubscription(Subscription subscription) {
        SharedFilter sharedFilter = SharedFilter.parse(subscription.topicFilter());
        Subscription replaced;
        if (sharedFilter != null) {
            replaced = shared.add(sharedFilter, subscription);
        } else {
            replaced = subscriptions.add(subscription);
        }
        if (replaced != null) {
            return CompletableFuture.completedFuture(null);
        }
        return sharedFilter != null ? cluster.shareAdded(sharedFilter) : cluster.filterAdded(subscription.topicFilter());
    }

    void removeSubscription(Subscription subscription) {
        SharedFilter sharedFilter = SharedFilter.parse(subscription.topicFilter());
        boolean removed = sharedFilter != null ? shared.remove(sharedFilter, subscription)
                : subscriptions.remove(subscription);
        if (removed && sharedFilter != null) {
            cluster.shareRemoved(sharedFilter);
        } else if (removed) {
            cluster.filterRemoved(subscription.topicFilter());
        }
    }

    /**
     * A session ended: removes all its subscriptions and memberships, then gives the shared deliveries it had not
     * completed to other members of their groups (see {@link ClientSession#end}). Memberships go first, so that no
     * group chooses the ending session again; a delivery racing with the end is refused by it and chosen anew.
     */
    void forget(ClientSession session) {
        // Exact removal: a newer session of the same client id may already hold the same filters.
        session.subscriptions().values().forEach(this::removeSubscription);
        session.subscriptions().clear();
        session.end().forEach(shared::redistribute);
    }
}
