package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eemqtt.broker.domain.Message;

/** The retained message of one topic, keyed by the topic's hash (see {@link StoreKeys}). */
@Entity
@Table(name = "MQTT_RETAINED")
public class RetainedEntity {

    @Id
    @Column(name = "TOPIC_KEY", length = StoreKeys.LENGTH)
    private String topicKey;

    @Embedded
    private MessageColumns columns;

    protected RetainedEntity() {
        // for JPA
    }

    RetainedEntity(Message message) {
        topicKey = StoreKeys.of(message.topic());
        update(message);
    }

    void update(Message message) {
        columns = new MessageColumns(message);
    }

    MessageColumns columns() {
        return columns;
    }
}
