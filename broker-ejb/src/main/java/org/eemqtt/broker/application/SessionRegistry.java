package org.eemqtt.broker.application;

import org.eemqtt.broker.domain.SessionStore;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live sessions by client id. Opening a session for a client id is atomic with taking it over. */
final class SessionRegistry {

    /** The outcome of a CONNECT: the session to use, whether it existed, and a session a clean start replaced. */
    record Opened(ClientSession session, boolean present, ClientSession replaced) {
    }

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final int maxQueued;
    private final int maxInFlight;
    private final long maxQueuedBytes;
    private final SessionStore store;

    SessionRegistry(int maxQueued, long maxQueuedBytes, int maxInFlight, SessionStore store) {
        this.maxQueued = maxQueued;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxInFlight = maxInFlight;
        this.store = store;
    }

    Opened open(ClientConnection connection, boolean cleanStart, long expiryInterval) {
        ClientSession[] replaced = new ClientSession[1];
        boolean[] present = new boolean[1];
        ClientSession session = sessions.compute(connection.clientId(), (clientId, existing) -> {
            if (existing != null) {
                ClientConnection previous = existing.owner();
                if (previous != null) {
                    previous.takeOver();
                }
            }
            ClientSession chosen;
            if (existing == null || cleanStart) {
                replaced[0] = existing;
                chosen = newSession(clientId);
            } else {
                chosen = existing;
                present[0] = true;
            }
            chosen.claim(connection, expiryInterval);
            return chosen;
        });
        return new Opened(session, present[0], replaced[0]);
    }

    private ClientSession newSession(String clientId) {
        return new ClientSession(clientId, maxQueued, maxQueuedBytes, maxInFlight, store);
    }

    /**
     * Recovery: registers an offline session read from the store (at start, or moved here from another node).
     * Returns null when the client id has a session here already (it connected here meanwhile): that one stays.
     */
    ClientSession restore(String clientId, long expiryInterval) {
        ClientSession session = newSession(clientId);
        session.restoreOffline(expiryInterval);
        return sessions.putIfAbsent(clientId, session) == null ? session : null;
    }

    /** Removes the client id's session, whatever its state (its client went to another node). */
    ClientSession remove(String clientId) {
        return sessions.remove(clientId);
    }

    ClientSession get(String clientId) {
        return sessions.get(clientId);
    }

    /** Removes the session if it is still the registered one and offline since {@code offlineSince}. */
    boolean removeIfOffline(ClientSession session, long offlineSince) {
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && current.owner() == null && current.offlineSince() == offlineSince) {
                removed[0] = true;
                return null;
            }
            return current;
        });
        return removed[0];
    }

    Collection<ClientSession> all() {
        return sessions.values();
    }
}
