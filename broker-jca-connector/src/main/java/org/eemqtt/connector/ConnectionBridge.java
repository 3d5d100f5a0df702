package org.eemqtt.connector;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import org.eemqtt.api.CloseReason;
import org.eemqtt.api.ConnectionHandler;
import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.ConnAckPacket;
import org.eemqtt.api.packet.ConnectPacket;
import org.eemqtt.api.packet.ConnectReasonCode;
import org.eemqtt.api.packet.DisconnectPacket;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.PublishPacket;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.codec.MqttPipeline;
import org.eemqtt.codec.MqttViolation;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of a connection's pipeline and the broker's view of it ({@link MqttConnection}). Until CONNECT it
 * enforces the connect timeout; at CONNECT it asks the broker for a handler (once, through the inbound contract)
 * and holds back later packets until it has one; then every packet is a plain call on the event loop thread.
 */
final class ConnectionBridge extends ChannelInboundHandlerAdapter implements MqttConnection {

    private static final Logger LOG = Logger.getLogger(ConnectionBridge.class.getName());

    private enum State { AWAITING_CONNECT, CONNECTING, OPEN, CLOSED }

    private final ListenerActivation activation;
    private final String listenerName;
    private final int connectTimeoutSeconds;
    private final Queue<MqttPacket> heldBack = new ArrayDeque<>();
    private final Queue<MqttPacket> outbound = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private long droppedQos0; // racy count, for the log only
    private Channel channel;
    private State state = State.AWAITING_CONNECT;
    private ConnectionHandler handler;
    private ScheduledFuture<?> connectTimeout;
    private volatile CloseReason closeReason;
    private final boolean cnAsUsername;
    private volatile String certificateUsername;

    ConnectionBridge(ListenerActivation activation, String listenerName, int connectTimeoutSeconds,
                     boolean cnAsUsername) {
        this.activation = activation;
        this.listenerName = listenerName;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.cnAsUsername = cnAsUsername;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (connectTimeoutSeconds > 0) {
            connectTimeout = ctx.executor().schedule(() -> {
                if (state == State.AWAITING_CONNECT) {
                    LOG.info(() -> describe() + ": no CONNECT within " + connectTimeoutSeconds
                            + " s; connection closed");
                    closeReason = CloseReason.CLOSED_BY_BROKER;
                    channel.close();
                }
            }, connectTimeoutSeconds, TimeUnit.SECONDS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MqttViolation violation) {
            onViolation(violation);
        } else if (message instanceof MqttPacket packet) {
            switch (state) {
                case AWAITING_CONNECT -> onConnect((ConnectPacket) packet);
                case CONNECTING -> heldBack.add(packet);
                case OPEN -> handler.onPacket(packet);
                case CLOSED -> { /* late packet of a closed connection: dropped */ }
            }
        }
    }

    private void onConnect(ConnectPacket connect) {
        state = State.CONNECTING;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (cnAsUsername) {
            // CONNECT comes after the handshake, so the peer's certificate (if any) is verified by now
            certificateUsername = TlsPeer.commonName(channel);
        }
        // Hold the socket back while the broker handles CONNECT on a work manager thread.
        channel.config().setAutoRead(false);
        activation.connect(this, connect);
    }

    /** Called on a work manager thread with the broker's handler for this connection. */
    void connected(ConnectionHandler connectionHandler) {
        channel.eventLoop().execute(() -> {
            handler = connectionHandler;
            if (state == State.CLOSED) {
                // The peer sent more and closed while CONNECT was handled (a client may DISCONNECT right after
                // CONNACK): what it sent still counts, so a DISCONNECT discards the will (MQTT-3.14.4-3).
                MqttPacket packet;
                while ((packet = heldBack.poll()) != null) {
                    handler.onPacket(packet);
                    if (packet instanceof DisconnectPacket) {
                        break; // nothing after DISCONNECT
                    }
                }
                heldBack.clear();
                handler.onClosed(closeReason == null ? CloseReason.PEER_CLOSED : closeReason);
                return;
            }
            state = State.OPEN;
            MqttPacket packet;
            while (state == State.OPEN && (packet = heldBack.poll()) != null) {
                handler.onPacket(packet);
            }
            channel.config().setAutoRead(true);
        });
    }

    /** The broker could not take the connection (not deployed yet, or failed): refuse it as unavailable. */
    void connectFailed(Throwable cause) {
        LOG.log(Level.WARNING, describe() + ": broker unavailable, CONNECT refused: " + cause, cause);
        closeReason = CloseReason.CLOSED_BY_BROKER;
        channel.writeAndFlush(ConnAckPacket.refuse(ConnectReasonCode.SERVER_UNAVAILABLE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void onViolation(MqttViolation violation) {
        LOG.info(() -> describe() + ": " + violation.describe() + "; connection closed");
        closeReason = violation.closeReason();
        MqttPipeline.closeFor(channel, violation);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.fine(() -> describe() + ": keep-alive timeout; connection closed");
            closeReason = CloseReason.KEEP_ALIVE_TIMEOUT;
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.fine(() -> describe() + ": " + cause);
        } else {
            LOG.log(Level.WARNING, describe() + ": unexpected error; connection closed", cause);
        }
        if (closeReason == null) {
            closeReason = CloseReason.NETWORK_ERROR;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        State previous = state;
        state = State.CLOSED;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (previous != State.CONNECTING) {
            heldBack.clear(); // while CONNECTING, connected() still hands them to the broker's handler
        }
        if (previous == State.OPEN) {
            handler.onClosed(closeReason == null ? CloseReason.PEER_CLOSED : closeReason);
        }
        super.channelInactive(ctx);
    }

    // ---- MqttConnection: called by the broker from any thread

    /**
     * Queues the packet; one task on the connection's event loop writes everything queued and flushes once, so that
     * a burst of deliveries from other threads (fan-out) or of acknowledgements costs one write system call.
     */
    @Override
    public void send(MqttPacket packet) {
        if (!channel.isWritable() && packet instanceof PublishPacket publish && publish.qos() == QoS.AT_MOST_ONCE) {
            // A consumer that does not read: QoS 0 may be dropped (MQTT 4.3.1), and memory must stay bounded.
            if (droppedQos0++ == 0) {
                LOG.info(() -> describe() + ": client does not keep up; QoS 0 messages to it are dropped while "
                        + "more than " + ListenerActivation.WRITE_BUFFER_HIGH_WATER_MARK + " bytes wait for it");
            }
            return;
        }
        outbound.add(packet);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        MqttPacket packet;
        boolean wrote = false;
        while ((packet = outbound.poll()) != null) {
            channel.write(packet, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    @Override
    public void close(MqttPacket lastPacket) {
        if (closeReason == null) {
            closeReason = CloseReason.CLOSED_BY_BROKER;
        }
        channel.eventLoop().execute(() -> {
            drain(); // what was sent before goes out before the last packet
            if (lastPacket == null) {
                channel.close();
            } else {
                channel.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void keepAlive(int seconds) {
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get("keep-alive") != null) {
                channel.pipeline().remove("keep-alive");
            }
            if (seconds > 0) {
                // MQTT-3.1.2-24: one and a half times the keep-alive without a packet ends the connection.
                channel.pipeline().addFirst("keep-alive",
                        new IdleStateHandler(seconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
            }
        });
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public String listenerName() {
        return listenerName;
    }

    @Override
    public String certificateUsername() {
        return certificateUsername;
    }

    private String describe() {
        return "MQTT " + listenerName + " " + (channel == null ? "?" : channel.remoteAddress());
    }
}
