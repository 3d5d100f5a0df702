package org.eemqtt.broker.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstantAsTimestampTest {

    private final InstantAsTimestamp converter = new InstantAsTimestamp();

    @Test
    void anInstantRoundTripsThroughATimestampToTheNanosecond() {
        Instant instant = Instant.parse("2026-03-29T01:30:00.123456789Z");
        Timestamp column = converter.convertToDatabaseColumn(instant);
        assertThat(column.getTime()).isEqualTo(instant.toEpochMilli());
        assertThat(converter.convertToEntityAttribute(column)).isEqualTo(instant);
    }

    @Test
    void nullStaysNull() {
        assertThat(converter.convertToDatabaseColumn(null)).isNull();
        assertThat(converter.convertToEntityAttribute(null)).isNull();
    }
}
