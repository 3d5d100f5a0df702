package org.eemqtt.bench;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One receiving connection: records every delivery in its {@link DeliveryTracker}, counts those inside the
 * measured window and records their end-to-end latency (microseconds) in the histogram of its event-loop thread.
 */
final class Subscriber implements BenchConnection.Receiver {

    static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(2);

    private final DeliveryTracker tracker;
    private final Publisher[] publishers;
    private final Window measured;
    private final Map<Thread, Histogram> histograms;
    private Histogram histogram;
    private long inWindow;

    Subscriber(Publisher[] publishers, Window measured, Map<Thread, Histogram> histograms) {
        this.tracker = new DeliveryTracker(publishers.length);
        this.publishers = publishers;
        this.measured = measured;
        this.histograms = histograms;
    }

    @Override
    public void onPublish(ByteBuf payload, long receivedNanos) {
        if (!Payload.isOurs(payload)) {
            tracker.foreign();
            return;
        }
        int pub = Payload.publisherId(payload);
        if (!tracker.record(pub, Payload.seq(payload))) {
            return;
        }
        publishers[pub].delivered.incrementAndGet();
        if (measured.contains(receivedNanos)) {
            inWindow++;
            long sent = Payload.sentNanos(payload);
            if (sent >= measured.start) {
                if (histogram == null) {
                    histogram = histograms.computeIfAbsent(Thread.currentThread(),
                            t -> new Histogram(MAX_LATENCY_MICROS, 3));
                }
                long micros = Math.max(1, (receivedNanos - sent) / 1000);
                histogram.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
            }
        }
    }

    DeliveryTracker tracker() {
        return tracker;
    }

    long inWindow() {
        return inWindow;
    }
}
