package org.eemqtt.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publishing connection. Closed loop: sends as fast as allowed — QoS 1/2 at most {@code window} PUBLISHes
 * unacknowledged, QoS 0 while the channel is writable (write-buffer back-pressure), and, when {@code e2eWindow}
 * is set, at most that many messages ahead of each of its receivers. Open loop: {@code rate} msgs/s on a 1 ms
 * tick. All state is confined to the channel's event loop, except {@link #delivered} (bumped by receivers).
 */
final class Publisher implements BenchConnection.Sender {

    private static final int BATCH = 64;
    private static final int MAX_IN_FLIGHT = 65_000;
    private static final long E2E_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    final int id;
    /** Distinct deliveries of this publisher's messages, summed over its receivers. */
    final AtomicLong delivered = new AtomicLong();

    private final String topic;
    private final MqttQoS qos;
    private final int payloadSize;
    private final int window;
    private final long e2eWindow;
    private final int receivers;
    private final double rate;
    private final Window measured;

    private volatile Channel ch;
    private long seq;
    private long inWindow;
    private int inFlight;
    private int nextPacketId = 1;
    private boolean pending;
    private volatile boolean stopped;
    private long credit;
    private long lastDelivered = -1;
    private long stalledSince;
    private long e2eForgiven;
    private ScheduledFuture<?> ticker;

    Publisher(int id, String topic, int qos, int payloadSize, int window, int e2eWindow, int receivers,
              double rate, Window measured) {
        this.id = id;
        this.topic = topic;
        this.qos = MqttQoS.valueOf(qos);
        this.payloadSize = payloadSize;
        this.window = Math.max(1, Math.min(window, MAX_IN_FLIGHT));
        this.e2eWindow = e2eWindow;
        this.receivers = receivers;
        this.rate = rate;
        this.measured = measured;
    }

    void start(Channel channel) {
        channel.eventLoop().execute(() -> {
            ch = channel;
            if (rate > 0) {
                long t0 = System.nanoTime();
                ticker = ch.eventLoop().scheduleAtFixedRate(() -> tick(t0), 0, 1, TimeUnit.MILLISECONDS);
            } else {
                pump();
            }
        });
    }

    void stop() {
        stopped = true;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
            });
        }
    }

    /** {published, published in the measured window, e2e-forgiven}; call on the event loop after stop(). */
    long[] counts() {
        return new long[] {seq, inWindow, e2eForgiven};
    }

    Channel channel() {
        return ch;
    }

    private void sendOne() {
        long now = System.nanoTime();
        int packetId = 0;
        if (qos != MqttQoS.AT_MOST_ONCE) {
            packetId = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            inFlight++;
        }
        MqttPublishMessage msg = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId),
                Payload.encode(ch.alloc(), payloadSize, id, seq, now));
        ch.write(msg, ch.voidPromise());
        seq++;
        if (measured.contains(now)) {
            inWindow++;
        }
    }

    private void tick(long t0) {
        if (stopped) {
            ticker.cancel(false);
            return;
        }
        long due = (long) ((System.nanoTime() - t0) * rate / 1e9) - seq;
        int n = 0;
        while (due-- > 0 && n < 10_000 && (qos == MqttQoS.AT_MOST_ONCE || inFlight < MAX_IN_FLIGHT)) {
            sendOne();
            n++;
        }
        if (n > 0) {
            ch.flush();
        }
    }

    private void pump() {
        Channel ch = this.ch;
        if (ch == null || stopped || !ch.isActive()) {
            return;
        }
        int n = 0;
        boolean blocked = false;
        while (n < BATCH && ch.isWritable() && (qos == MqttQoS.AT_MOST_ONCE || inFlight < window)) {
            if (e2eBlocked()) {
                blocked = true;
                break;
            }
            sendOne();
            n++;
        }
        if (n > 0) {
            ch.flush();
        }
        if (pending) {
            return;
        }
        if (n == BATCH) {
            pending = true;
            ch.eventLoop().execute(this::runPending);
        } else if (blocked) {
            pending = true;
            ch.eventLoop().schedule(this::runPending, 200, TimeUnit.MICROSECONDS);
        }
        // otherwise an ack (onReadComplete) or writability (onWritable) resumes
    }

    private void runPending() {
        pending = false;
        pump();
    }

    private boolean e2eBlocked() {
        if (e2eWindow <= 0) {
            return false;
        }
        long d = delivered.get();
        long outstanding = seq * receivers - d - credit;
        if (outstanding <= e2eWindow * receivers) {
            stalledSince = 0;
            return false;
        }
        long now = System.nanoTime();
        if (d != lastDelivered || stalledSince == 0) {
            lastDelivered = d;
            stalledSince = now;
            return true;
        }
        if (now - stalledSince > E2E_STALL_NANOS) {
            // nothing arrived for a while: the rest is lost (QoS 0 drops); stop waiting for it
            credit += outstanding;
            e2eForgiven += outstanding;
            stalledSince = 0;
            return false;
        }
        return true;
    }

    @Override
    public void onAck() {
        inFlight--;
    }

    @Override
    public void onReadComplete() {
        if (rate <= 0) {
            pump();
        }
    }

    @Override
    public void onWritable() {
        if (rate <= 0) {
            pump();
        }
    }
}
