package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The one row from which nodes sharing a database reserve blocks of message store identifiers: the first
 * identifier nobody reserved yet. Read with a write lock, so that two nodes never get the same block.
 */
@Entity
@Table(name = "MQTT_ID_BLOCK")
public class IdBlockEntity {

    static final int ROW = 1;

    @Id
    @Column(name = "ID")
    private int id;

    @Column(name = "NEXT_ID", nullable = false)
    private long nextId;

    protected IdBlockEntity() {
        // for JPA
    }

    IdBlockEntity(long nextId) {
        this.id = ROW;
        this.nextId = nextId;
    }

    /** Reserves {@code size} identifiers and returns the first. */
    long reserve(long size) {
        long first = nextId;
        nextId += size;
        return first;
    }
}
