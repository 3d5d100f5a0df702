package org.eemqtt.web.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import jakarta.websocket.Session;
import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.codec.MqttPipeline;
import org.eemqtt.codec.MqttViolation;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One MQTT connection over WebSocket. The protocol engine is the TCP listener's: the codec handlers of
 * {@link MqttPipeline} run in a Netty {@link EmbeddedChannel} per session; received bytes are written into it, and the
 * bytes it writes go out as binary frames. This object is the channel's last handler (as ConnectionBridge is on
 * TCP) and the broker's {@link MqttConnection}.
 *
 * <p>The embedded channel is not thread-safe: one lock guards it. The broker's {@link #send} never waits for that
 * lock (two connections fanning out to each other would deadlock): it queues, and whoever holds or next takes the
 * lock encodes the queue.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements MqttConnection {

    private static final Logger LOG = Logger.getLogger(WebSocketConnection.class.getName());
    /** Bytes waiting for a client above which it counts as slow, as on TCP. */
    static final long SLOW_CLIENT_BYTES = 4L << 20;

    private enum State { AWAITING_CONNECT, OPEN, CLOSED }

    private final Session session;
    private final WebSocketTransport transport;
    private final String listenerName;
    private final String remoteAddress;
    private final FrameSender frames;
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>(); // packets, or CLOSE_MARK + last packet
    private State state = State.AWAITING_CONNECT;
    private ConnectionHandler handler;
    private ScheduledFuture<?> timer;
    private volatile ScheduledFuture<?> keepAliveTimer;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile long keepAliveNanos;
    private volatile CloseReason closeReason;
    /** The WebSocket close frame's code once the channel is closed. */
    private volatile jakarta.websocket.CloseReason.CloseCode closeCode =
            jakarta.websocket.CloseReason.CloseCodes.NORMAL_CLOSURE;
    private long droppedQos0; // racy count, for the log only

    /** Queued by {@link #close}: what follows in the queue is the last packet, or null. */
    private record Close(MqttPacket lastPacket) {
    }

    WebSocketConnection(Session session, WebSocketTransport transport) {
        this.session = session;
        this.transport = transport;
        this.listenerName = session.isSecure() ? "wss" : "ws";
        this.remoteAddress = RemoteAddress.of(session);
        this.frames = new FrameSender(session);
    }

    /** Installs the codec and arms the CONNECT timeout. */
    void open() {
        MqttPipeline.install(channel.pipeline(), transport.maxPacketSize());
        channel.pipeline().addLast("broker", this);
        int seconds = transport.connectTimeoutSeconds();
        if (seconds > 0) {
            timer = transport.scheduler().schedule(this::connectTimedOut, seconds, TimeUnit.SECONDS);
        }
    }

    private void connectTimedOut() {
        withChannel(() -> {
            if (state == State.AWAITING_CONNECT) {
                LOG.info(() -> describe() + ": no CONNECT within " + transport.connectTimeoutSeconds()
                        + " s; connection closed");
                closeReason = CloseReason.CLOSED_BY_BROKER;
                channel.close();
            }
        });
    }

    /** Bytes of a binary frame (any part of one or more packets). */
    void received(ByteBuffer bytes) {
        lastReadNanos = System.nanoTime();
        // a copy: the decoder may keep a partial packet, and the container reuses its buffer
        ByteBuf copy = Unpooled.copiedBuffer(bytes);
        withChannel(() -> {
            if (channel.isOpen()) {
                channel.writeInbound(copy);
            } else {
                copy.release();
            }
        });
    }

    /** A text frame: MQTT-6.0.0-1 says close. */
    void textReceived() {
        LOG.info(() -> describe() + ": text frame; MQTT travels in binary frames only; connection closed");
        closeReason = CloseReason.MALFORMED_PACKET;
        closeCode = jakarta.websocket.CloseReason.CloseCodes.CANNOT_ACCEPT;
        withChannel(channel::close);
    }

    /** The WebSocket session ended, whoever closed it; reports it to the broker once. */
    void ended(CloseReason reason) {
        withChannel(() -> {
            State previous = state;
            state = State.CLOSED;
            if (timer != null) {
                timer.cancel(false);
            }
            ScheduledFuture<?> keepAlive = keepAliveTimer;
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            channel.close();
            if (previous == State.OPEN) {
                handler.onClosed(closeReason == null ? reason : closeReason);
            }
        });
    }

    // ---- the embedded channel's last handler (runs under the lock)

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MqttViolation violation) {
            LOG.info(() -> describe() + ": " + violation.describe() + "; connection closed");
            closeReason = violation.closeReason();
            MqttPipeline.closeFor(channel, violation);
        } else if (message instanceof MqttPacket packet) {
            switch (state) {
                case AWAITING_CONNECT -> onConnect((ConnectPacket) packet);
                case OPEN -> handler.onPacket(packet);
                case CLOSED -> { /* late packet of a closed connection: dropped */ }
            }
        }
    }

    private void onConnect(ConnectPacket connect) {
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            // on this reader thread: later frames of the session wait until the broker has the connection
            handler = transport.connect(this, connect);
            state = State.OPEN;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, describe() + ": broker unavailable, CONNECT refused: " + e, e);
            state = State.CLOSED;
            closeReason = CloseReason.CLOSED_BY_BROKER;
            close(ConnAckPacket.refuse(ConnectReasonCode.SERVER_UNAVAILABLE));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.WARNING, describe() + ": unexpected error; connection closed", cause);
        if (closeReason == null) {
            closeReason = CloseReason.NETWORK_ERROR;
        }
        ctx.close();
    }

    // ---- MqttConnection: called by the broker from any thread

    @Override
    public void send(MqttPacket packet) {
        if (packet instanceof PublishPacket publish && publish.qos() == QoS.AT_MOST_ONCE
                && frames.queuedBytes() > SLOW_CLIENT_BYTES) {
            // A consumer that does not read: QoS 0 may be dropped (MQTT 4.3.1), and memory must stay bounded.
            if (droppedQos0++ == 0) {
                LOG.info(() -> describe() + ": client does not keep up; QoS 0 messages to it are dropped while "
                        + "more than " + SLOW_CLIENT_BYTES + " bytes wait for it");
            }
            return;
        }
        outbound.add(packet);
        drain();
    }

    @Override
    public void close(MqttPacket lastPacket) {
        if (closeReason == null) {
            closeReason = CloseReason.CLOSED_BY_BROKER;
        }
        outbound.add(new Close(lastPacket));
        drain();
    }

    @Override
    public void keepAlive(int seconds) {
        // MQTT-3.1.2-24: one and a half times the keep-alive without a packet ends the connection.
        keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(seconds * 1500L);
        lastReadNanos = System.nanoTime();
        ScheduledFuture<?> previous = keepAliveTimer;
        if (previous != null) {
            previous.cancel(false);
        }
        if (seconds > 0) {
            scheduleKeepAliveCheck(keepAliveNanos);
        }
    }

    private void scheduleKeepAliveCheck(long delayNanos) {
        keepAliveTimer = transport.scheduler().schedule(this::checkKeepAlive, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkKeepAlive() {
        long limit = keepAliveNanos;
        if (limit == 0 || !channel.isOpen()) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (idle < limit) {
            scheduleKeepAliveCheck(limit - idle);
            return;
        }
        LOG.fine(() -> describe() + ": keep-alive timeout; connection closed");
        closeReason = CloseReason.KEEP_ALIVE_TIMEOUT;
        withChannel(channel::close);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String listenerName() {
        return listenerName;
    }

    // ---- the embedded channel, one thread at a time

    private void withChannel(Runnable action) {
        lock.lock();
        try {
            action.run();
            writeQueued();
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Encodes what the broker queued, unless another thread holds the channel (it drains after its work). */
    private void drain() {
        while (!outbound.isEmpty() && lock.tryLock()) {
            try {
                writeQueued();
            } finally {
                lock.unlock();
            }
        }
    }

    private void writeQueued() {
        Object item;
        while ((item = outbound.poll()) != null) {
            if (!channel.isOpen()) {
                continue; // closed: nothing more goes out
            }
            if (item instanceof Close close) {
                if (close.lastPacket() != null) {
                    channel.write(close.lastPacket());
                }
                flushToSession();
                channel.close();
            } else {
                channel.write(item);
            }
        }
        flushToSession();
        if (!channel.isOpen()) {
            // the codec, the broker or a timer closed the channel: the session follows once its last bytes are sent
            frames.closeAfterQueued(new jakarta.websocket.CloseReason(closeCode, null));
        }
    }

    /** Sends what the codec encoded as one binary frame. */
    private void flushToSession() {
        channel.flush();
        channel.runPendingTasks();
        ByteBuf encoded;
        int size = 0;
        for (Object message : channel.outboundMessages()) {
            size += ((ByteBuf) message).readableBytes();
        }
        if (size == 0) {
            channel.outboundMessages().clear();
            return;
        }
        ByteBuffer frame = ByteBuffer.allocate(size);
        while ((encoded = channel.readOutbound()) != null) {
            try {
                frame.put(encoded.nioBuffer());
            } finally {
                encoded.release();
            }
        }
        frames.send(frame.flip());
    }

    private String describe() {
        return "MQTT " + listenerName + " " + remoteAddress;
    }
}
