package org.eemqtt.broker.infrastructure;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Stores every {@link Instant} attribute of the unit as an SQL timestamp (H2 TIMESTAMP, MySQL/MariaDB DATETIME).
 * JPA 3.1 does not know Instant as a basic type, so EclipseLink 4 would otherwise write it as a serialized Java
 * object into a binary column: unreadable to SQL and to anything but this JVM's classes.
 */
@Converter(autoApply = true)
public class InstantAsTimestamp implements AttributeConverter<Instant, Timestamp> {

    @Override
    public Timestamp convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    @Override
    public Instant convertToEntityAttribute(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
