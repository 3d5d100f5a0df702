package org.eemqtt.broker.domain;

/**
 * Decides what an authenticated client may do with topics. Asked on every PUBLISH and for every topic filter of a
 * SUBSCRIBE; answers must be cheap (no I/O).
 */
public interface Authorizer {

    /** Whether the client may publish to {@code topic} (a valid topic name). */
    boolean mayPublish(String clientId, String username, String topic);

    /** Whether the client may subscribe to {@code filter} (a valid topic filter, without a $share prefix). */
    boolean maySubscribe(String clientId, String username, String filter);

    /** A client of this user is being accepted (on a container thread): a chance to load what checks need. */
    default void connected(String username) {
    }
}
