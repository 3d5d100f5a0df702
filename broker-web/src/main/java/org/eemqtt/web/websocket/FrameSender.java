package org.eemqtt.web.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes encoded MQTT bytes to one WebSocket session as binary frames, in order, with at most one asynchronous send
 * outstanding (containers differ in whether they queue concurrent async sends; one at a time works on all). What
 * queues up meanwhile goes out as one frame: a frame may hold several packets (MQTT-6.0.0-2). The session is never
 * touched while this object's monitor is held, so that a container calling back on another thread cannot deadlock.
 */
final class FrameSender {

    private static final Logger LOG = Logger.getLogger(FrameSender.class.getName());
    /** Bytes merged into one frame at most (a single larger packet goes alone). */
    private static final int MAX_MERGED_FRAME = 64 * 1024;

    private final Session session;
    private final Queue<ByteBuffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private CloseReason closeWhenDrained;
    private boolean closed;

    FrameSender(Session session) {
        this.session = session;
    }

    /** Queues bytes (not shared with anyone) for sending. */
    void send(ByteBuffer bytes) {
        synchronized (this) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            queue.add(bytes);
            queuedBytes += bytes.remaining();
        }
        pump();
    }

    /** Closes the session once everything queued before has been written. */
    void closeAfterQueued(CloseReason reason) {
        synchronized (this) {
            if (closeWhenDrained == null) {
                closeWhenDrained = reason;
            }
        }
        pump();
    }

    /** Bytes waiting to be written: the measure of a client that does not keep up. */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    private void pump() {
        ByteBuffer frame = null;
        CloseReason closeNow = null;
        synchronized (this) {
            if (sending || closed) {
                return;
            }
            if (!queue.isEmpty()) {
                frame = nextFrame();
                sending = true;
            } else if (closeWhenDrained != null) {
                closed = true;
                closeNow = closeWhenDrained;
            } else {
                return;
            }
        }
        if (closeNow != null) {
            closeSession(session, closeNow);
            return;
        }
        int length = frame.remaining();
        try {
            session.getAsyncRemote().sendBinary(frame, result -> sent(result, length));
        } catch (RuntimeException e) {
            // the session went away under us (IllegalStateException); its OnClose reports the end
            sent(new SendResult(e), length);
        }
    }

    private void sent(SendResult result, int length) {
        synchronized (this) {
            sending = false;
            queuedBytes -= length;
            if (!result.isOK()) {
                closed = true;
                queue.clear();
                queuedBytes = 0;
            }
        }
        if (result.isOK()) {
            pump();
        } else {
            LOG.log(Level.FINE, "WebSocket send failed; session closed", result.getException());
            closeSession(session, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
        }
    }

    /** The head of the queue, merged with what follows it up to {@link #MAX_MERGED_FRAME}. */
    private ByteBuffer nextFrame() {
        ByteBuffer first = queue.poll();
        if (queue.isEmpty() || first.remaining() >= MAX_MERGED_FRAME) {
            return first;
        }
        int size = first.remaining();
        for (ByteBuffer next : queue) {
            if (size + next.remaining() > MAX_MERGED_FRAME) {
                break;
            }
            size += next.remaining();
        }
        ByteBuffer merged = ByteBuffer.allocate(size);
        merged.put(first);
        while (!queue.isEmpty() && merged.remaining() >= queue.peek().remaining()) {
            merged.put(queue.poll());
        }
        return merged.flip();
    }

    static void closeSession(Session session, CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "WebSocket close failed", e);
        }
    }
}
