package org.eemqtt.broker.infrastructure;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import org.eemqtt.api.packet.Will;
import org.eemqtt.broker.domain.StoredState.StoredWill;
import org.eemqtt.broker.domain.Subscription;

import java.util.Collection;
import java.util.List;

/**
 * A persistent session: its expiry interval, when it went offline (0 while online), its subscriptions, kept
 * as one encoded list because they change together (SUBSCRIBE/UNSUBSCRIBE store the session's whole list), and
 * the will of its connection until it is published or discarded.
 */
@Entity
@Table(name = "MQTT_SESSION")
public class SessionEntity {

    @Id
    @Column(name = "SESSION_KEY", length = StoreKeys.LENGTH)
    private String sessionKey;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "CLIENT_ID", nullable = false)
    private String clientId;

    @Column(name = "EXPIRY_SECONDS", nullable = false)
    private long expiryIntervalSeconds;

    @Column(name = "OFFLINE_AT", nullable = false)
    private long offlineAtMillis;

    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "SUBSCRIPTIONS")
    private byte[] subscriptions;

    /** The will not published yet (StoreCodec), or null. */
    @Lob
    @Basic(fetch = FetchType.EAGER)
    @Column(name = "WILL")
    private byte[] will;

    /** When the will is due; 0 while its connection is open. Nullable: the column may be added to older tables. */
    @Column(name = "WILL_DUE_AT")
    private Long willDueAtMillis;

    /**
     * The node that holds the session and alone writes about it, when nodes share the database (SessionStore
     * shareWith); null on a store of one node. Nullable: the column may be added to older tables.
     */
    @Column(name = "OWNER_NODE", length = 64)
    private String ownerNode;

    protected SessionEntity() {
        // for JPA
    }

    SessionEntity(String clientId) {
        this.sessionKey = StoreKeys.of(clientId);
        this.clientId = clientId;
    }

    void online(long expiry) {
        expiryIntervalSeconds = expiry;
        offlineAtMillis = 0;
    }

    void offline(long expiry, long atMillis) {
        expiryIntervalSeconds = expiry;
        offlineAtMillis = atMillis;
    }

    /** The will and when it is due (0: its connection is open), or none. */
    void will(StoredWill pending) {
        will = pending == null ? null : StoreCodec.encode(pending.will());
        willDueAtMillis = will == null ? null : pending.dueAtMillis();
    }

    StoredWill storedWill() {
        Will decoded = StoreCodec.decodeWill(will);
        return decoded == null ? null : new StoredWill(decoded, willDueAtMillis == null ? 0 : willDueAtMillis);
    }

    void subscriptions(Collection<Subscription> list) {
        subscriptions = StoreCodec.encode(list);
    }

    void owner(String node) {
        ownerNode = node;
    }

    String owner() {
        return ownerNode;
    }

    String sessionKey() {
        return sessionKey;
    }

    String clientId() {
        return clientId;
    }

    long expiryIntervalSeconds() {
        return expiryIntervalSeconds;
    }

    long offlineAtMillis() {
        return offlineAtMillis;
    }

    List<Subscription> subscriptionList() {
        return StoreCodec.decodeSubscriptions(clientId, subscriptions);
    }
}
