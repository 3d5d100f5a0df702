package org.eemqtt.broker.application;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The QoS 1/2 messages a session has in flight to its client, by packet identifier in the order they were sent,
 * and those of them held back (in order) behind a stored QoS 2 copy whose identifier is still being written. Not
 * thread-safe: used under its session's monitor.
 */
final class InFlightWindow {

    static final class Entry {
        final OutboundMessage message;
        final int packetId;
        boolean released;     // PUBREC received, PUBREL sent, PUBCOMP awaited
        boolean sent;         // the PUBLISH went out at least once: a re-send carries DUP
        boolean ready = true; // may go out: a stored QoS 2 copy only once its packet identifier is durable

        Entry(OutboundMessage message, int packetId) {
            this.message = message;
            this.packetId = packetId;
        }
    }

    private final Map<Integer, Entry> entries = new LinkedHashMap<>();
    private final Queue<Entry> heldBack = new ArrayDeque<>();
    private int nextPacketId = 1;

    /** Takes a message with the next free packet identifier; called only while fewer than 65,535 are in flight. */
    Entry add(OutboundMessage message) {
        while (entries.containsKey(nextPacketId)) {
            nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
        }
        Entry entry = new Entry(message, nextPacketId);
        nextPacketId = nextPacketId == 0xFFFF ? 1 : nextPacketId + 1;
        entries.put(entry.packetId, entry);
        return entry;
    }

    /** Recovery: a message that was in flight under this identifier before a restart. */
    Entry restore(OutboundMessage message, int packetId) {
        Entry entry = new Entry(message, packetId);
        entry.sent = true; // it may have gone out: re-sent with DUP
        entries.put(packetId, entry);
        return entry;
    }

    Entry get(int packetId) {
        return entries.get(packetId);
    }

    void remove(int packetId) {
        entries.remove(packetId);
    }

    int size() {
        return entries.size();
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    /** Whether {@code entry} must wait behind the held-back ones (or is one of them). */
    boolean mustWait(Entry entry) {
        return !entry.ready || !heldBack.isEmpty();
    }

    boolean isHeldBack(Entry entry) {
        return heldBack.contains(entry);
    }

    void holdBack(Entry entry) {
        heldBack.add(entry);
    }

    /** The next held-back entry that may go now (in order), or null; skips those no longer in flight. */
    Entry nextReady() {
        while (!heldBack.isEmpty() && heldBack.peek().ready) {
            Entry entry = heldBack.poll();
            if (entries.get(entry.packetId) == entry) {
                return entry;
            }
        }
        return null;
    }
}
