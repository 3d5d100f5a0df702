package org.eemqtt.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The generator's MQTT client end of one connection: sends CONNECT when the channel opens, completes futures on
 * CONNACK and SUBACK, acknowledges incoming PUBLISHes at QoS 1 and 2 (acks are flushed once per read batch) and
 * tells its {@link Sender} about completed outgoing QoS 1/2 flows and writability.
 */
final class BenchConnection extends ChannelInboundHandlerAdapter {

    /** Gets each delivered payload; runs on the connection's event-loop thread. */
    interface Receiver {
        void onPublish(ByteBuf payload, long receivedNanos);
    }

    /** The publishing side; all calls on the connection's event-loop thread. */
    interface Sender {
        void onAck();

        void onReadComplete();

        void onWritable();
    }

    private static final MqttMessage PINGREQ =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
    private static final MqttMessage DISCONNECT =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0));

    final CompletableFuture<Integer> connAck = new CompletableFuture<>();
    final CompletableFuture<Integer> subAck = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final MqttConnectMessage connect;
    private volatile Receiver receiver;
    private volatile Sender sender;
    private Runnable onPingResp;
    private ChannelHandlerContext ctx;
    private boolean flushPending;
    private ScheduledFuture<?> pinger;

    BenchConnection(MqttConnectMessage connect) {
        this.connect = connect;
    }

    void receiver(Receiver r) {
        this.receiver = r;
    }

    void sender(Sender s) {
        this.sender = s;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(connect);
        ctx.fireChannelActive();
    }

    /** Sends a PINGREQ every {@code seconds} from now on; {@code onSent}/{@code onResp} count them. */
    void startPings(int seconds, Runnable onSent, Runnable onResp) {
        ctx.executor().execute(() -> {
            onPingResp = onResp;
            pinger = ctx.executor().scheduleAtFixedRate(() -> {
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(PINGREQ);
                    onSent.run();
                }
            }, seconds, seconds, TimeUnit.SECONDS);
        });
    }

    /** Stops sending PINGREQs (answers still count); safe from any thread. */
    void stopPings() {
        ctx.executor().execute(() -> {
            if (pinger != null) {
                pinger.cancel(false);
            }
        });
    }

    /** Sends DISCONNECT and closes; safe from any thread. */
    void disconnect() {
        ctx.executor().execute(() -> {
            if (pinger != null) {
                pinger.cancel(false);
            }
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(DISCONNECT).addListener(f -> ctx.close());
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage m = (MqttMessage) msg;
        try {
            if (m.decoderResult().isFailure()) {
                fail(new IOException("undecodable packet from broker: " + m.decoderResult().cause()));
                return;
            }
            switch (m.fixedHeader().messageType()) {
                case CONNACK -> connAck.complete(
                        ((MqttConnAckMessage) m).variableHeader().connectReturnCode().byteValue() & 0xFF);
                case SUBACK -> subAck.complete(((MqttSubAckMessage) m).payload().reasonCodes().get(0));
                case PUBLISH -> onPublish((MqttPublishMessage) m);
                case PUBREL -> reply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, messageId(m));
                case PUBACK, PUBCOMP -> {
                    Sender s = sender;
                    if (s != null) {
                        s.onAck();
                    }
                }
                case PUBREC -> reply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, messageId(m));
                case PINGRESP -> {
                    if (onPingResp != null) {
                        onPingResp.run();
                    }
                }
                case DISCONNECT -> ctx.close();
                default -> { }
            }
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    private void onPublish(MqttPublishMessage p) {
        Receiver r = receiver;
        if (r != null) {
            r.onPublish(p.payload(), System.nanoTime());
        }
        switch (p.fixedHeader().qosLevel()) {
            case AT_LEAST_ONCE -> reply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, p.variableHeader().packetId());
            case EXACTLY_ONCE -> reply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, p.variableHeader().packetId());
            default -> { }
        }
    }

    private static int messageId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    private void reply(MqttMessageType type, MqttQoS qos, int id) {
        ctx.write(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                MqttMessageIdVariableHeader.from(id)), ctx.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        Sender s = sender;
        if (s != null) {
            s.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Sender s = sender;
        if (s != null && ctx.channel().isWritable()) {
            s.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pinger != null) {
            pinger.cancel(false);
        }
        connAck.completeExceptionally(new IOException("connection closed before CONNACK"));
        subAck.completeExceptionally(new IOException("connection closed before SUBACK"));
        closed.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (connAck.isDone() && !connAck.isCompletedExceptionally() && ctx.channel().isActive()) {
            System.err.println("connection " + ctx.channel() + " failed: " + cause);
        }
        connAck.completeExceptionally(cause);
        subAck.completeExceptionally(cause);
        ctx.close();
    }
}
