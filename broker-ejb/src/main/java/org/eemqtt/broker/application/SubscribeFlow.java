package org.eemqtt.broker.application;

import org.eemqtt.api.packet.SubAckPacket;
import org.eemqtt.api.packet.SubAckReasonCode;
import org.eemqtt.api.packet.SubscribePacket;
import org.eemqtt.api.packet.SubscriptionRequest;
import org.eemqtt.api.packet.UnsubAckPacket;
import org.eemqtt.api.packet.UnsubAckReasonCode;
import org.eemqtt.api.packet.UnsubscribePacket;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.Subscription;
import org.eemqtt.broker.domain.Topics;

import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE and UNSUBSCRIBE. */
final class SubscribeFlow {

    private static final String SHARED_PREFIX = "$share/";

    private final MessageRouter router;
    private final SessionStore store;

    SubscribeFlow(MessageRouter router, SessionStore store) {
        this.router = router;
        this.store = store;
    }

    void onSubscribe(ClientConnection connection, SubscribePacket subscribe) {
        if (subscribe.subscriptions().isEmpty()) {
            connection.protocolError("SUBSCRIBE without topic filters"); // MQTT-3.8.3-3
            return;
        }
        ClientSession session = connection.session();
        int identifier = subscribe.subscriptionIdentifier() == null ? 0 : subscribe.subscriptionIdentifier();
        List<SubAckReasonCode> reasons = new ArrayList<>();
        List<Subscription> retainedFor = new ArrayList<>();
        for (SubscriptionRequest request : subscribe.subscriptions()) {
            String filter = request.topicFilter();
            if (!Topics.isValidFilter(filter)) {
                reasons.add(connection.isV5() ? SubAckReasonCode.TOPIC_FILTER_INVALID
                        : SubAckReasonCode.UNSPECIFIED_ERROR);
                continue;
            }
            if (connection.isV5() && filter.startsWith(SHARED_PREFIX)) {
                reasons.add(SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED); // not offered yet (CONNACK says so)
                continue;
            }
            Subscription subscription = new Subscription(session.clientId(), filter, request.maximumQoS(),
                    request.noLocal(), request.retainAsPublished(), request.retainHandling(), identifier);
            Subscription previous = session.subscriptions().put(filter, subscription);
            router.addSubscription(subscription);
            reasons.add(SubAckReasonCode.granted(request.maximumQoS()));
            // 5.0 retain handling: 0 send retained messages, 1 only for a new subscription, 2 never
            if (request.retainHandling() == 0 || (request.retainHandling() == 1 && previous == null)) {
                retainedFor.add(subscription);
            }
        }
        store.subscriptionsChanged(session.clientId(), session.subscriptionList()).thenRun(() -> {
            connection.send(new SubAckPacket(subscribe.packetId(), reasons, null));
            retainedFor.forEach(subscription -> router.sendRetained(session, subscription));
        });
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
