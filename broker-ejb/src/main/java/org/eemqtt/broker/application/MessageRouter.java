package org.eemqtt.broker.application;

import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.SubscriptionTree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes published messages to the sessions whose subscriptions match: one copy per session at the highest QoS its
 * matching subscriptions grant (MQTT-3.3.5-1), carrying every matching subscription identifier.
 */
final class MessageRouter {

    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final SessionStore store;

    MessageRouter(SubscriptionTree subscriptions, RetainedMessages retained, SessionRegistry sessions,
                  SessionStore store) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.sessions = sessions;
        this.store = store;
    }

    /** One session's merged view of the subscriptions that matched a message. */
    private static final class Target {
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainAsPublished;
        final List<Integer> identifiers = new ArrayList<>(1);
    }

    /**
     * Publishes a message; the stage completes, with the number of sessions it reached, once the message is stored
     * for them and handed to their sessions: the publisher's acknowledgement waits for it.
     */
    CompletionStage<Integer> publish(Message message) {
        if (message.retain()) {
            retained.retain(message);
        }
        Map<String, Target> targets = new HashMap<>();
        subscriptions.match(message.topic(), subscription -> {
            if (subscription.noLocal() && subscription.clientId().equals(message.publisherClientId())) {
                return; // MQTT-3.8.3-3
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
        CompletionStage<Void> stored = message.qos() == QoS.AT_MOST_ONCE || targets.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : store.messageAccepted(message, targets.keySet());
        return stored.thenApply(done -> {
            targets.forEach((clientId, target) -> {
                ClientSession session = sessions.get(clientId);
                if (session != null) {
                    // MQTT-3.3.1-9 / 5.0 3.3.1.3: live messages go out with RETAIN 0 unless retain-as-published
                    session.deliver(new OutboundMessage(message, QoS.min(message.qos(), target.qos),
                            target.retainAsPublished && message.retain(), target.identifiers));
                }
            });
            return targets.size();
        });
    }

    /** The retained messages a new subscription receives, with the retain flag set (MQTT-3.3.1-8). */
    void sendRetained(ClientSession session, Subscription subscription) {
        List<Integer> identifiers = subscription.identifier() > 0 ? List.of(subscription.identifier()) : List.of();
        retained.matching(subscription.topicFilter(), message -> session.deliver(
                new OutboundMessage(message, QoS.min(message.qos(), subscription.maximumQoS()), true, identifiers)));
    }

    void addSubscription(Subscription subscription) {
        subscriptions.add(subscription);
    }

    void removeSubscription(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Removes all subscriptions of a session that ended. */
    void forget(ClientSession session) {
        // Exact removal: a newer session of the same client id may already hold the same filters.
        session.subscriptions().values().forEach(subscriptions::remove);
        session.subscriptions().clear();
    }
}
