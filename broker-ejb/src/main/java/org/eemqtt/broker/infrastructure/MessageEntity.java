package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eemqtt.broker.domain.Message;

/**
 * A message accepted for at least one persistent session, stored once whatever the number of its copies; it goes
 * when its last copy has (the writer's periodic sweep deletes messages no copy refers to).
 */
@Entity
@Table(name = "MQTT_MESSAGE")
public class MessageEntity {

    @Id
    @Column(name = "ID")
    private long id;

    @Embedded
    private MessageColumns columns;

    protected MessageEntity() {
        // for JPA
    }

    MessageEntity(long id, Message message) {
        this.id = id;
        this.columns = new MessageColumns(message);
    }

    long id() {
        return id;
    }

    MessageColumns columns() {
        return columns;
    }
}
