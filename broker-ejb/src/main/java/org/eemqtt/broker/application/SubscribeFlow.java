package org.eemqtt.broker.application;

import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Authorizer;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** SUBSCRIBE and UNSUBSCRIBE. */
final class SubscribeFlow {

    private final MessageRouter router;
    private final SessionStore store;
    private final ProtocolSettings protocol;
    private final Authorizer authorizer;

    SubscribeFlow(MessageRouter router, SessionStore store, ProtocolSettings protocol, Authorizer authorizer) {
        this.router = router;
        this.store = store;
        this.protocol = protocol;
        this.authorizer = authorizer;
    }

    void onSubscribe(ClientConnection connection, SubscribePacket subscribe) {
        if (subscribe.subscriptions().isEmpty()) {
            connection.protocolError("SUBSCRIBE without topic filters"); // MQTT-3.8.3-3
            return;
        }
        for (SubscriptionRequest request : subscribe.subscriptions()) {
            if (request.noLocal() && SharedFilter.isShared(request.topicFilter())) {
                // checked before any filter of the packet takes effect: the packet is refused as a whole
                connection.protocolError("No Local on shared subscription " + request.topicFilter()); // MQTT-3.8.3-4
                return;
            }
        }
        ClientSession session = connection.session();
        int identifier = subscribe.subscriptionIdentifier() == null ? 0 : subscribe.subscriptionIdentifier();
        List<SubAckReasonCode> reasons = new ArrayList<>();
        List<Subscription> retainedFor = new ArrayList<>();
        CompletableFuture<Void> known = CompletableFuture.completedFuture(null);
        for (SubscriptionRequest request : subscribe.subscriptions()) {
            String filter = request.topicFilter();
            if (!Topics.isValidFilter(filter) || PublishSize.utf8Length(filter) > protocol.maxTopicLength()) {
                reasons.add(failure(connection, SubAckReasonCode.TOPIC_FILTER_INVALID));
                continue;
            }
            SharedFilter shared = null;
            if (SharedFilter.isShared(filter)) {
                if (!protocol.sharedSubscriptions()) {
                    reasons.add(failure(connection, SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED));
                    continue;
                }
                shared = SharedFilter.parse(filter);
                if (shared == null) { // MQTT-4.8.2-1, MQTT-4.8.2-2
                    reasons.add(failure(connection, SubAckReasonCode.TOPIC_FILTER_INVALID));
                    continue;
                }
            }
            // a shared subscription receives the topics of the filter after its share name
            String matched = shared == null ? filter : shared.filter();
            if (!authorizer.maySubscribe(session.clientId(), connection.connectPacket().username(), matched)) {
                reasons.add(failure(connection, SubAckReasonCode.NOT_AUTHORIZED));
                continue;
            }
            if (!session.subscriptions().containsKey(filter)
                    && session.subscriptions().size() >= protocol.maxSubscriptionsPerSession()) {
                reasons.add(failure(connection, SubAckReasonCode.QUOTA_EXCEEDED));
                continue;
            }
            QoS granted = QoS.min(request.maximumQoS(), protocol.maximumQoS());
            Subscription subscription = new Subscription(session.clientId(), filter, granted,
                    request.noLocal(), request.retainAsPublished(), request.retainHandling(), identifier);
            Subscription previous = session.subscriptions().put(filter, subscription);
            known = known.thenCombine(router.addSubscription(subscription), (a, b) -> a);
            reasons.add(SubAckReasonCode.granted(granted));
            // 5.0 retain handling: 0 send retained messages, 1 only for a new subscription, 2 never; never for a
            // shared subscription (5.0 4.8.2: retained messages are not sent to a share group when it subscribes)
            if (shared == null
                    && (request.retainHandling() == 0 || (request.retainHandling() == 1 && previous == null))) {
                retainedFor.add(subscription);
            }
        }
        // SUBACK once stored and, in a cluster, once every node would forward the filter's messages here
        store.subscriptionsChanged(session.clientId(), session.subscriptionList()).thenCombine(known, (a, b) -> a)
                .thenRun(() -> {
            connection.send(new SubAckPacket(subscribe.packetId(), reasons, null));
            retainedFor.forEach(subscription -> router.sendRetained(session, subscription));
        });
    }

    /** 5.0 names the reason; 3.x has only 0x80 Failure (MQTT-3.9.3-2). */
    private static SubAckReasonCode failure(ClientConnection connection, SubAckReasonCode reason) {
        return connection.isV5() ? reason : SubAckReasonCode.UNSPECIFIED_ERROR;
    }

    void onUnsubscribe(ClientConnection connection, UnsubscribePacket unsubscribe) {
        if (unsubscribe.topicFilters().isEmpty()) {
            connection.protocolError("UNSUBSCRIBE without topic filters"); // MQTT-3.10.3-2
            return;
        }
        ClientSession session = connection.session();
        List<UnsubAckReasonCode> reasons = new ArrayList<>();
        for (String filter : unsubscribe.topicFilters()) {
            Subscription removed = session.subscriptions().remove(filter);
            if (removed != null) {
                router.removeSubscription(removed);
                reasons.add(UnsubAckReasonCode.SUCCESS);
            } else {
                reasons.add(Topics.isValidFilter(filter) ? UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED
                        : UnsubAckReasonCode.TOPIC_FILTER_INVALID);
            }
        }
        store.subscriptionsChanged(session.clientId(), session.subscriptionList()).thenRun(() ->
                connection.send(new UnsubAckPacket(unsubscribe.packetId(), reasons, null)));
    }
}
