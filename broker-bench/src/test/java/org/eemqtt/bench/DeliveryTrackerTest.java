package org.eemqtt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryTrackerTest {

    @Test
    void countsDuplicatesPerPublisherAndLossAgainstExpected() {
        DeliveryTracker t = new DeliveryTracker(2);
        assertThat(t.record(0, 0)).isTrue();
        assertThat(t.record(0, 1)).isTrue();
        assertThat(t.record(0, 1)).isFalse(); // duplicate
        assertThat(t.record(1, 1)).isTrue();  // same seq, other publisher: not a duplicate
        assertThat(t.record(1, 1)).isFalse();
        assertThat(t.record(1, 1)).isFalse();
        assertThat(t.received()).isEqualTo(6);
        assertThat(t.distinct()).isEqualTo(3);
        assertThat(t.duplicated()).isEqualTo(3);
        // publisher 0 sent 3 (seq 0..2), publisher 1 sent 2 (seq 0..1): 5 expected, 3 distinct
        assertThat(t.lost(5)).isEqualTo(2);
        assertThat(t.distinctFrom(0)).isEqualTo(2);
        assertThat(t.distinctFrom(1)).isEqualTo(1);
    }

    @Test
    void lossIsNeverNegativeAndForeignPayloadsAreKeptApart() {
        DeliveryTracker t = new DeliveryTracker(1);
        t.record(0, 5);
        assertThat(t.lost(0)).isZero();
        assertThat(t.record(3, 0)).isFalse(); // unknown publisher
        assertThat(t.record(0, -1)).isFalse(); // impossible sequence
        t.foreign();
        assertThat(t.foreignCount()).isEqualTo(3);
        assertThat(t.received()).isEqualTo(1);
        assertThat(t.duplicated()).isZero();
    }
}
