package org.eemqtt.broker.infrastructure;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * How many messages this node forwarded to other nodes (one per target node) and received from them: the per-node
 * counter that shows a node without matching subscribers gets nothing. Logged at most once a second, when changed.
 */
final class ForwardCounters {

    private static final Logger LOG = Logger.getLogger(ForwardCounters.class.getName());

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    AtomicLong received() {
        return received;
    }

    AtomicLong sent() {
        return sent;
    }

    /** Logs {@code MQTT cluster node <node>: forwarded messages received N, sent M} whenever the counts changed. */
    ScheduledFuture<?> logChanges(ScheduledExecutorService scheduler, String node) {
        long[] logged = {0, 0};
        return scheduler.scheduleWithFixedDelay(() -> {
            long in = received.get();
            long out = sent.get();
            if (in != logged[0] || out != logged[1]) {
                logged[0] = in;
                logged[1] = out;
                LOG.info(() -> "MQTT cluster node " + node + ": forwarded messages received " + in + ", sent " + out);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
