package org.eemqtt.broker.domain;

import java.util.List;
import java.util.Set;

/** The persistent sessions and retained messages a previous run stored, as read at start. */
public record StoredState(List<StoredSession> sessions, List<Message> retained) {

    public static final StoredState EMPTY = new StoredState(List.of(), List.of());

    /**
     * A persistent session: {@code offlineAtMillis} is when it went offline, or 0 when it was online when the
     * broker stopped (it then counts as offline from the start). Copies are in the order they were accepted.
     */
    public record StoredSession(String clientId, long expiryIntervalSeconds, long offlineAtMillis,
                                List<Subscription> subscriptions, List<StoredCopy> copies,
                                Set<Integer> awaitingRelease) {
    }

    /** A stored copy: {@code packetId} 0 while queued; {@code released} once PUBREC arrived (PUBREL pending). */
    public record StoredCopy(long messageId, Message message, Recipient recipient, int packetId, boolean released) {
    }
}
