package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** An inbound QoS 2 packet identifier of a persistent session, from the accepted PUBLISH until PUBREL. */
@Entity
@Table(name = "MQTT_INBOUND_QOS2")
@IdClass(InboundEntity.Key.class)
public class InboundEntity {

    /** The composite key: session and packet identifier. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String sessionKey;
        private int packetId;

        public Key() {
            // for JPA
        }

        Key(String sessionKey, int packetId) {
            this.sessionKey = sessionKey;
            this.packetId = packetId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.packetId == packetId && Objects.equals(k.sessionKey, sessionKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionKey, packetId);
        }
    }

    @Id
    @Column(name = "SESSION_KEY", length = StoreKeys.LENGTH)
    private String sessionKey;

    @Id
    @Column(name = "PACKET_ID")
    private int packetId;

    protected InboundEntity() {
        // for JPA
    }

    InboundEntity(String clientId, int packetId) {
        this.sessionKey = StoreKeys.of(clientId);
        this.packetId = packetId;
    }

    static Key key(String clientId, int packetId) {
        return new Key(StoreKeys.of(clientId), packetId);
    }

    String sessionKey() {
        return sessionKey;
    }

    int packetId() {
        return packetId;
    }
}
