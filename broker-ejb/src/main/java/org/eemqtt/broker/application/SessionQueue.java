package org.eemqtt.broker.application;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages a session keeps while offline or while its in-flight window is full, bounded by count and by payload
 * bytes: over either bound a message is refused and counted, so that one slow or absent client costs bounded
 * memory and the publisher and other sessions go on. Not thread-safe: used under its session's monitor.
 */
final class SessionQueue {

    private static final Logger LOG = Logger.getLogger(SessionQueue.class.getName());

    private final String clientId;
    private final int maxMessages;
    private final long maxBytes;
    private final Queue<OutboundMessage> messages = new ArrayDeque<>();
    private long bytes;
    private long dropped;

    SessionQueue(String clientId, int maxMessages, long maxBytes) {
        this.clientId = clientId;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Queues the message, or refuses it (false) when a bound would be exceeded. */
    boolean offer(OutboundMessage message) {
        int size = message.message().payload().length;
        if (messages.size() >= maxMessages || bytes + size > maxBytes) {
            dropped++;
            // logged at INFO once per power of two, so that a flood does not flood the log as well
            Level level = Long.bitCount(dropped) == 1 ? Level.INFO : Level.FINE;
            LOG.log(level, () -> "Queue of session " + clientId + " is full (" + messages.size() + " messages, "
                    + bytes + " bytes); message to " + message.message().topic() + " dropped (" + dropped
                    + " so far)");
            return false;
        }
        add(message);
        return true;
    }

    /** Queues without the bounds: recovery of what was accepted under the bounds of its time. */
    void add(OutboundMessage message) {
        messages.add(message);
        bytes += message.message().payload().length;
    }

    OutboundMessage poll() {
        OutboundMessage next = messages.poll();
        if (next != null) {
            bytes -= next.message().payload().length;
        }
        return next;
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Removes and returns the queued messages that match, in order. */
    List<OutboundMessage> removeIf(Predicate<OutboundMessage> which) {
        List<OutboundMessage> removed = new ArrayList<>();
        for (Iterator<OutboundMessage> it = messages.iterator(); it.hasNext(); ) {
            OutboundMessage m = it.next();
            if (which.test(m)) {
                it.remove();
                bytes -= m.message().payload().length;
                removed.add(m);
            }
        }
        return removed;
    }
}
