package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.Will;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The persistent sessions and retained messages a previous run stored, as read at start, and the wills of sessions
 * that ended while the broker was down (by client id): those were due by then and are published at start.
 */
public record StoredState(List<StoredSession> sessions, List<Message> retained, Map<String, Will> endedWills) {

    public static final StoredState EMPTY = new StoredState(List.of(), List.of());

    public StoredState(List<StoredSession> sessions, List<Message> retained) {
        this(sessions, retained, Map.of());
    }

    /**
     * A persistent session: {@code offlineAtMillis} is when it went offline, or 0 when it was online when the
     * broker stopped (it then counts as offline from the start). Copies are in the order they were accepted.
     */
    public record StoredSession(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                List<Subscription> subscriptions, List<StoredCopy> copies,
                                Set<Integer> awaitingRelease, StoredWill will) {

        public StoredSession(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                             List<Subscription> subscriptions, List<StoredCopy> copies, Set<Integer> awaitingRelease) {
            this(clientId, expiryIntervalSeconds, offlineAtMillis, subscriptions, copies, awaitingRelease, null);
        }
    }

    /**
     * A will not published yet: {@code dueAtMillis} is when its delay ends, or 0 while its connection was open (the
     * broker's end closed that connection: the will is due its delay after the next start).
     */
    public record StoredWill(Will will, long dueAtMillis) {
    }

    /** A stored copy: {@code packetId} 0 while queued; {@code released} once PUBREC arrived (PUBREL pending). */
    public record StoredCopy(long messageId, Message message, Recipient recipient, int packetId, boolean released) {
    }
}
