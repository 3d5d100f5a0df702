package org.eemqtt.broker.application;

import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.PubRelPacket;
import org.eemqtt.api.packet.PubRelReasonCode;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.SessionStore;
import org.eemqtt.broker.domain.ShareGroup.MemberState;
import org.eemqtt.broker.domain.Subscription;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The state of one client's session, which outlives its connections when the session is persistent: its
 * subscriptions, the QoS 1/2 messages in flight to it and queued for it, and the inbound QoS 2 packet identifiers
 * awaiting PUBREL. Deliveries come from any publisher's thread, so the delivery state is guarded by the session's
 * monitor; nothing blocks while holding it (sending only queues the packet on the connection).
 */
final class ClientSession {

    private static final Logger LOG = Logger.getLogger(ClientSession.class.getName());

    private final String clientId;
    private final int maxInFlight;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final InFlightWindow inFlight = new InFlightWindow();
    private final SessionQueue queue;
    private final SessionStore store;
    // inbound QoS 2: packet id -> completion of the message's routing (and storing), until PUBREL
    private final Map<Integer, CompletionStage<Integer>> awaitingRelease = new HashMap<>();
    private ClientConnection owner;      // the connection that holds the session (from CONNECT)
    private ClientConnection connection; // the connection being delivered to (from its CONNACK)
    private long offlineSince;
    private int sendWindow;
    private long clientMaximumPacketSize = ConnectPacket.UNLIMITED_PACKET_SIZE;
    private boolean clientV5;
    private long expiryIntervalSeconds;
    private boolean ended;
    private Runnable pendingWill; // a delayed will of the last connection: due after its delay or the session's end

    /**
     * @param maxQueued      messages queued at most (offline, or behind a full in-flight window)
     * @param maxQueuedBytes payload bytes queued at most
     * @param store          told about the state of the copies it stored (those with a store id)
     */
    ClientSession(String clientId, int maxQueued, long maxQueuedBytes, int maxInFlight, SessionStore store) {
        this.clientId = clientId;
        this.queue = new SessionQueue(clientId, maxQueued, maxQueuedBytes);
        this.maxInFlight = maxInFlight;
        this.store = store;
    }

    String clientId() {
        return clientId;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    synchronized long expiryIntervalSeconds() {
        return expiryIntervalSeconds;
    }

    synchronized void expiryIntervalSeconds(long seconds) {
        this.expiryIntervalSeconds = seconds;
    }

    /** The connection that holds the session now, or null while the session is offline. */
    synchronized ClientConnection owner() {
        return owner;
    }

    /** A new connection takes the session: deliveries are held back until {@link #resume}. */
    synchronized void claim(ClientConnection newOwner, long expiryInterval) {
        owner = newOwner;
        connection = null;
        expiryIntervalSeconds = expiryInterval;
        pendingWill = null; // MQTT-3.1.3-9: a connection to the session within the will delay cancels the will
    }

    /** Records the delayed will of the connection that just went (it replaces none: one connection at a time). */
    synchronized void pendingWill(Runnable will) {
        pendingWill = will;
    }

    /** Takes the pending will if it is still {@code expected}: true at most once per will. */
    synchronized boolean takePendingWill(Runnable expected) {
        if (pendingWill != expected) {
            return false;
        }
        pendingWill = null;
        return true;
    }

    /** Takes whatever will is pending (null if none): for a session that ends before the will delay passed. */
    synchronized Runnable takePendingWill() {
        Runnable will = pendingWill;
        pendingWill = null;
        return will;
    }

    /** When the session last went offline (a stamp that tells one disconnection from the next). */
    synchronized long offlineSince() {
        return offlineSince;
    }

    /**
     * Starts delivering to a connection (after its CONNACK went out): first what was in flight, as the protocol
     * requires (PUBLISH again with DUP set, or PUBREL when PUBREC had arrived), then the queue.
     */
    synchronized void resume(ClientConnection newConnection, int receiveMaximum, long maximumPacketSize) {
        if (owner != newConnection) {
            return; // taken over again before its CONNACK went out
        }
        connection = newConnection;
        sendWindow = Math.min(receiveMaximum, maxInFlight); // the client's limit, or ours when lower
        clientMaximumPacketSize = maximumPacketSize;
        clientV5 = newConnection.isV5();
        for (InFlightWindow.Entry f : inFlight.entries()) {
            if (f.released) {
                connection.send(new PubRelPacket(f.packetId, PubRelReasonCode.SUCCESS));
            } else if (!inFlight.isHeldBack(f)) {
                transmit(f);
            }
        }
        flushHeldBack();
        drainQueue();
    }

    /** Takes the session offline if {@code closed} still holds it; returns whether it did. */
    synchronized boolean detach(ClientConnection closed) {
        if (owner != closed) {
            return false;
        }
        owner = null;
        connection = null;
        offlineSince = System.nanoTime();
        return true;
    }

    /**
     * Delivers now, or queues while offline or while the client's receive window is full. Returns false when the
     * session did not take the message: it has ended, it is offline and would not keep it (QoS 0, or no session
     * expiry), or its queue is full. A shared delivery then goes to another member of its group.
     */
    synchronized boolean deliver(OutboundMessage message) {
        if (ended) {
            discard(message);
            return false;
        }
        if (message.isExpired() || connection != null && tooLarge(message)) {
            discard(message);
            return true; // discarded as the protocol says, as if delivered
        }
        if (connection == null) {
            if (message.qos() != QoS.AT_MOST_ONCE && expiryIntervalSeconds > 0 && queue.offer(message)) {
                return true;
            }
            discard(message);
            return false;
        }
        if (message.qos() == QoS.AT_MOST_ONCE) {
            connection.send(message.toPacket(0, false));
        } else if (queue.isEmpty() && inFlight.size() < sendWindow) {
            sendInFlight(message);
        } else if (!queue.offer(message)) {
            discard(message);
            return false;
        }
        return true;
    }

    /** A stored copy this session will not deliver: the store forgets it (lazily). */
    private void discard(OutboundMessage message) {
        if (message.stored()) {
            store.outboundDone(clientId, message.storeId());
        }
    }

    /**
     * How well this session can take a message for a share group now (see {@link MemberState}): connected with room
     * in its in-flight window, connected but full (or between CONNECT and CONNACK), offline but keeping messages, or
     * not at all (ended, or offline without a session to keep them in).
     */
    synchronized MemberState shareState() {
        if (ended) {
            return MemberState.UNAVAILABLE;
        }
        if (connection != null) {
            return queue.isEmpty() && inFlight.size() < sendWindow ? MemberState.READY : MemberState.BUSY;
        }
        if (expiryIntervalSeconds == 0) {
            return MemberState.UNAVAILABLE; // deliver() would drop it
        }
        return owner != null ? MemberState.BUSY : MemberState.OFFLINE;
    }

    /**
     * The session ends for good: it takes no more messages, and hands back the shared deliveries it holds that may
     * go to another member of their group (5.0 4.8.2: the server SHOULD send them to another client of the group
     * when the session ends): those still queued, and QoS 1 ones sent but not acknowledged. A QoS 2 message whose
     * PUBLISH went out is not handed back: the spec forbids sending it to another client (MQTT-4.8.2-5). A member
     * that only goes offline keeps its messages (they are re-sent when it comes back): they are handed back only
     * if its session ends before.
     */
    synchronized List<OutboundMessage> end() {
        ended = true;
        List<OutboundMessage> handedBack = new ArrayList<>();
        for (Iterator<InFlightWindow.Entry> it = inFlight.entries().iterator(); it.hasNext(); ) {
            OutboundMessage m = it.next().message;
            if (m.shared() != null && m.qos() == QoS.AT_LEAST_ONCE) {
                handedBack.add(m);
                it.remove();
            }
        }
        handedBack.addAll(queue.removeIf(m -> m.shared() != null && m.qos() != QoS.AT_MOST_ONCE));
        return handedBack;
    }

    /**
     * MQTT-3.1.2-25 (5.0): a PUBLISH larger than the client's Maximum Packet Size is discarded as if it had been
     * sent; it takes no place in the in-flight window.
     */
    private boolean tooLarge(OutboundMessage message) {
        if (clientMaximumPacketSize >= ConnectPacket.UNLIMITED_PACKET_SIZE
                || PublishSize.of(message, clientV5) <= clientMaximumPacketSize) {
            return false;
        }
        LOG.fine(() -> "Message to " + message.message().topic() + " exceeds the Maximum Packet Size "
                + clientMaximumPacketSize + " of client " + clientId + "; not sent");
        return true;
    }

    private void sendInFlight(OutboundMessage message) {
        InFlightWindow.Entry f = inFlight.add(message);
        if (message.stored()) {
            CompletableFuture<Void> written = store.outboundSent(clientId, message.storeId(), f.packetId, message.qos())
                    .toCompletableFuture();
            // QoS 2 waits for the identifier to be durable: were it lost, the copy would be re-sent after a restart
            // under another identifier, which the client would take for a new message (a duplicate). A lost QoS 1
            // identifier only causes such a re-send, which QoS 1 allows: it goes at once.
            if (message.qos() == QoS.EXACTLY_ONCE && !written.isDone()) {
                f.ready = false;
                written.whenComplete((done, failure) -> identifierWritten(f, failure));
            }
        }
        if (inFlight.mustWait(f)) {
            inFlight.holdBack(f); // the order of sending stays the order of delivery
        } else {
            transmit(f);
        }
    }

    private synchronized void identifierWritten(InFlightWindow.Entry f, Throwable failure) {
        if (failure != null) {
            LOG.log(Level.WARNING, "Packet identifier of a message to client '" + clientId + "' not stored; sent"
                    + " anyway", failure);
        }
        f.ready = true;
        flushHeldBack();
    }

    /** Sends the held-back messages that may go now; offline, they go on resume (DUP 0: never sent). */
    private void flushHeldBack() {
        for (InFlightWindow.Entry f = inFlight.nextReady(); f != null; f = inFlight.nextReady()) {
            transmit(f);
        }
    }

    private void transmit(InFlightWindow.Entry f) {
        // an ended session sends nothing more: one handed over to another node is sent from there
        if (connection != null && !ended) {
            connection.send(f.message.toPacket(f.packetId, f.sent));
            f.sent = true;
        }
    }

    private void drainQueue() {
        // an ended session sends nothing more (an acknowledgement racing with a hand-over must not start a send
        // whose packet identifier the store no longer records: the next node would send the copy anew)
        while (connection != null && !ended && inFlight.size() < sendWindow && !queue.isEmpty()) {
            OutboundMessage next = queue.poll();
            if (next.isExpired() || tooLarge(next)) {
                discard(next);
                continue;
            }
            if (next.qos() == QoS.AT_MOST_ONCE) {
                connection.send(next.toPacket(0, false));
            } else {
                sendInFlight(next);
            }
        }
    }

    /** PUBACK: a QoS 1 delivery is complete. Returns false when no such delivery was in flight. */
    synchronized boolean acknowledged(int packetId) {
        InFlightWindow.Entry f = inFlight.get(packetId);
        if (f == null || f.message.qos() != QoS.AT_LEAST_ONCE) {
            return false;
        }
        inFlight.remove(packetId);
        discard(f.message); // lazy: a lost removal re-sends the message after a restart, as QoS 1 allows
        drainQueue();
        return true;
    }

    /**
     * PUBREC: a QoS 2 delivery was received. The stage completes with false when no such delivery was in flight,
     * else with true once PUBREL may be sent: for a stored copy, once the PUBREC state is durable. Were PUBREL sent
     * before, a restart could lose that state after the client completed the flow and forgot the identifier: the
     * copy would then be sent again as a PUBLISH, which the client would deliver a second time. With the state
     * durable, a restart re-sends PUBREL instead, which the client answers whether or not it still knows it.
     */
    synchronized CompletionStage<Boolean> received(int packetId, boolean failed) {
        InFlightWindow.Entry f = inFlight.get(packetId);
        if (f == null || f.message.qos() != QoS.EXACTLY_ONCE) {
            return CompletableFuture.completedFuture(false);
        }
        if (failed) {
            inFlight.remove(packetId); // MQTT 5.0: a PUBREC with an error code ends the flow
            discard(f.message);
            drainQueue();
            return CompletableFuture.completedFuture(true);
        }
        if (!f.message.stored() || f.released) {
            f.released = true;
            return CompletableFuture.completedFuture(true);
        }
        return store.outboundReceived(clientId, f.message.storeId()).thenApply(done -> {
            synchronized (this) {
                f.released = true;
            }
            return true;
        });
    }

    /** PUBCOMP: a QoS 2 delivery is complete. */
    synchronized boolean completed(int packetId) {
        InFlightWindow.Entry f = inFlight.get(packetId);
        if (f == null || !f.released) {
            return false;
        }
        inFlight.remove(packetId);
        discard(f.message); // lazy: a lost removal re-sends PUBREL after a restart, which the client answers
        drainQueue();
        return true;
    }

    /**
     * An inbound QoS 2 PUBLISH. Returns null when the packet identifier is new (and records {@code routing} for
     * it), or the routing of the earlier PUBLISH with that identifier when this one is a retransmission.
     */
    synchronized CompletionStage<Integer> beginInboundExactlyOnce(int packetId, CompletionStage<Integer> routing) {
        return awaitingRelease.putIfAbsent(packetId, routing);
    }

    /** Whether an inbound QoS 2 PUBLISH with this packet identifier awaits PUBREL. */
    synchronized boolean awaitsRelease(int packetId) {
        return awaitingRelease.containsKey(packetId);
    }

    /** PUBREL: true when the packet identifier was awaiting it. */
    synchronized boolean release(int packetId) {
        return awaitingRelease.remove(packetId) != null;
    }

    /** Recovery at start, in the stored order: a copy queued ({@code packetId} 0) or in flight. */
    synchronized void restore(OutboundMessage message, int packetId, boolean released) {
        if (packetId == 0) {
            queue.add(message); // not bounded again: it was accepted under the bounds of its time
            return;
        }
        inFlight.restore(message, packetId).released = released;
    }

    /** Recovery at start: an inbound QoS 2 identifier that awaited PUBREL (its message was delivered already). */
    synchronized void restoreAwaitingRelease(int packetId) {
        awaitingRelease.put(packetId, CompletableFuture.completedFuture(1));
    }

    /** Recovery at start: the session is offline, from now on as far as this run's timers go. */
    synchronized void restoreOffline(long expiryInterval) {
        expiryIntervalSeconds = expiryInterval;
        offlineSince = System.nanoTime();
    }

    Collection<Subscription> subscriptionList() {
        return List.copyOf(subscriptions.values());
    }
}
