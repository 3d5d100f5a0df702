package org.eemqtt.bench;

import java.util.BitSet;

/**
 * What one subscriber received, per publisher: which sequence numbers (a bit set), how many deliveries in all
 * and how many distinct. Confined to the subscriber's event-loop thread.
 * <p>lost = expected - distinct; duplicated = received - distinct (see {@link #lost(long)}).
 */
final class DeliveryTracker {

    private final BitSet[] seen;
    private long received;
    private long distinct;
    private long foreign;

    DeliveryTracker(int publishers) {
        seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
    }

    /** Records one delivery; returns false when it is a duplicate or not one of ours. */
    boolean record(int publisherId, long seq) {
        if (publisherId < 0 || publisherId >= seen.length || seq < 0 || seq > Integer.MAX_VALUE) {
            foreign++;
            return false;
        }
        received++;
        BitSet bits = seen[publisherId];
        int s = (int) seq;
        if (bits.get(s)) {
            return false;
        }
        bits.set(s);
        distinct++;
        return true;
    }

    void foreign() {
        foreign++;
    }

    long received() {
        return received;
    }

    long distinct() {
        return distinct;
    }

    long duplicated() {
        return received - distinct;
    }

    long foreignCount() {
        return foreign;
    }

    /** Messages expected but never seen; never negative. */
    long lost(long expected) {
        return Math.max(0, expected - distinct);
    }

    /** Distinct messages received from one publisher. */
    long distinctFrom(int publisherId) {
        return seen[publisherId].cardinality();
    }
}
