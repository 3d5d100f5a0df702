package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.RetainedMessages;
import org.eemqtt.broker.domain.SharedFilter;
import org.eemqtt.broker.domain.StoredState;
import org.eemqtt.broker.domain.StoredState.StoredCopy;
import org.eemqtt.broker.domain.StoredState.StoredSession;
import org.eemqtt.broker.domain.Subscription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts what a previous run stored back into the broker's memory at start, before any client is served: retained
 * messages, and the persistent sessions, offline, with their subscriptions, copies (in flight ones are re-sent with
 * DUP, or PUBREL once PUBREC had arrived, when the client resumes) and inbound QoS 2 identifiers awaiting PUBREL.
 * Expiry timers resume from the stored offline time; a session online when the broker stopped counts as offline
 * from now. Wills not published yet are published when due: the will of a connection the broker's end closed
 * (no DISCONNECT, so the will stands) its delay after now; those due already once every session is back.
 */
final class SessionRecovery {

    private static final Logger LOG = Logger.getLogger(SessionRecovery.class.getName());

    private SessionRecovery() {
    }

    /**
     * Restores {@code state}; a session whose client id has a session here already is skipped. The stage completes
     * once the cluster's other nodes know the restored subscriptions (see {@link Cluster#filterAdded}).
     */
    static CompletableFuture<Void> restore(StoredState state, SessionRegistry sessions, MessageRouter router,
                                           RetainedMessages retained, ConnectFlow connectFlow) {
        return restore(state, sessions, router, retained, connectFlow, Level.INFO);
    }

    /**
     * {@link #restore(StoredState, SessionRegistry, MessageRouter, RetainedMessages, ConnectFlow)}, logged at
     * {@code level}: a session that moved here with its client is routine, not news.
     */
    static CompletableFuture<Void> restore(StoredState state, SessionRegistry sessions, MessageRouter router,
                                           RetainedMessages retained, ConnectFlow connectFlow, Level level) {
        long now = System.currentTimeMillis();
        for (Message message : state.retained()) {
            retained.retain(message);
        }
        int copies = 0;
        Map<String, Will> dueWills = new LinkedHashMap<>(state.endedWills());
        List<CompletableFuture<Void>> announced = new ArrayList<>();
        int restored = 0;
        for (StoredSession stored : state.sessions()) {
            ClientSession session = sessions.restore(stored.clientId(), stored.expiryIntervalSeconds());
            if (session == null) {
                continue;
            }
            restored++;
            for (Subscription subscription : stored.subscriptions()) {
                session.subscriptions().put(subscription.topicFilter(), subscription);
                announced.add(router.addSubscription(subscription).toCompletableFuture());
            }
            for (StoredCopy copy : stored.copies()) {
                var recipient = copy.recipient();
                SharedFilter shared = recipient.sharedFilter() == null ? null
                        : SharedFilter.parse(recipient.sharedFilter());
                session.restore(new OutboundMessage(copy.message(), recipient.qos(), recipient.retain(),
                        recipient.subscriptionIdentifiers(), shared, copy.messageId()), copy.packetId(),
                        copy.released());
                copies++;
            }
            stored.awaitingRelease().forEach(session::restoreAwaitingRelease);
            long expiry = stored.expiryIntervalSeconds();
            if (expiry != ConnectPacket.SESSION_NEVER_EXPIRES) {
                long offlineAt = stored.offlineAtMillis() == 0 ? now : stored.offlineAtMillis();
                long remainingSeconds = Math.max(0, (offlineAt + expiry * 1000 - now + 999) / 1000);
                connectFlow.scheduleExpiry(session, session.offlineSince(), remainingSeconds);
            }
            if (stored.will() != null && connectFlow.restoreWill(session, stored.will(), now)) {
                dueWills.put(stored.clientId(), stored.will().will());
            }
        }
        // after every session is back, so that each subscriber of a will topic gets it
        dueWills.forEach(connectFlow::publishStoredWill);
        int restoredCopies = copies;
        int restoredSessions = restored;
        LOG.log(level, () -> "Store: " + restoredSessions + " persistent sessions (" + restoredCopies
                + " messages queued or in flight) and " + state.retained().size() + " retained messages restored; "
                + dueWills.size() + " wills due published");
        return CompletableFuture.allOf(announced.toArray(CompletableFuture[]::new));
    }
}
