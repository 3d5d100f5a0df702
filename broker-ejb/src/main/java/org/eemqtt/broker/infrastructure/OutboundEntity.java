package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import org.eemqtt.api.packet.QoS;
import org.eemqtt.broker.domain.Recipient;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One persistent session's copy of a stored message: queued ({@code packetId} 0), sent with a packet identifier,
 * or PUBREC received (PUBREL pending). The copies of a session, in message id order, are its queue in publish
 * order: ids grow in the order each publisher's messages are accepted.
 */
@Entity
@Table(name = "MQTT_OUTBOUND", indexes = @Index(name = "MQTT_OUTBOUND_MESSAGE", columnList = "MESSAGE_ID"))
@IdClass(OutboundEntity.Key.class)
public class OutboundEntity {

    /** The composite key: session and message. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String sessionKey;
        private long messageId;

        public Key() {
            // for JPA
        }

        Key(String sessionKey, long messageId) {
            this.sessionKey = sessionKey;
            this.messageId = messageId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.messageId == messageId && Objects.equals(k.sessionKey, sessionKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionKey, messageId);
        }
    }

    @Id
    @Column(name = "SESSION_KEY", length = StoreKeys.LENGTH)
    private String sessionKey;

    @Id
    @Column(name = "MESSAGE_ID")
    private long messageId;

    @Column(name = "QOS", nullable = false)
    private int qos;

    @Column(name = "RETAIN_FLAG", nullable = false)
    private boolean retain;

    @Column(name = "SUBSCRIPTION_IDS", length = 512)
    private String subscriptionIdentifiers;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "SHARED_FILTER")
    private String sharedFilter;

    @Column(name = "PACKET_ID", nullable = false)
    private int packetId;

    @Column(name = "RELEASED", nullable = false)
    private boolean released;

    protected OutboundEntity() {
        // for JPA
    }

    OutboundEntity(long messageId, Recipient recipient) {
        this.sessionKey = StoreKeys.of(recipient.clientId());
        this.messageId = messageId;
        this.qos = recipient.qos().value();
        this.retain = recipient.retain();
        this.subscriptionIdentifiers = encodeIdentifiers(recipient.subscriptionIdentifiers());
        this.sharedFilter = recipient.sharedFilter();
    }

    /** The SUBSCRIPTION_IDS column: comma-separated, null for none. */
    static String encodeIdentifiers(List<Integer> identifiers) {
        return identifiers.isEmpty() ? null
                : identifiers.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static Key key(String clientId, long messageId) {
        return new Key(StoreKeys.of(clientId), messageId);
    }

    String sessionKey() {
        return sessionKey;
    }

    long messageId() {
        return messageId;
    }

    int packetId() {
        return packetId;
    }

    boolean isReleased() {
        return released;
    }

    Recipient toRecipient(String clientId) {
        List<Integer> ids = subscriptionIdentifiers == null ? List.of()
                : Arrays.stream(subscriptionIdentifiers.split(",")).map(Integer::valueOf).toList();
        return new Recipient(clientId, QoS.of(qos), retain, ids, sharedFilter);
    }
}
