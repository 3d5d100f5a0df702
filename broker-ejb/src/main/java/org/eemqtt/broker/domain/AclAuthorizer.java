package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Per-user topic permissions on top of another authorizer (the denied filters): a request must pass both. The
 * users' ACLs are kept in memory, loaded when a user's client connects and reloaded whenever an administrator
 * changes them, so the checks on every PUBLISH and SUBSCRIBE do no I/O and a change applies to connected clients at
 * once. A user without an ACL (and an anonymous client) is limited by the base authorizer only.
 */
public final class AclAuthorizer implements Authorizer {

    private final Authorizer base;
    private final Function<String, Optional<TopicAcl>> loader;
    private final Map<String, Optional<TopicAcl>> acls = new ConcurrentHashMap<>();

    /** @param loader reads a user's ACL from the store (empty: the user has none, or does not exist) */
    public AclAuthorizer(Authorizer base, Function<String, Optional<TopicAcl>> loader) {
        this.base = base;
        this.loader = loader;
    }

    @Override
    public void connected(String username) {
        if (username != null) {
            acls.computeIfAbsent(username, loader);
        }
    }

    /** Reads the user's ACL again (after a change); a later check uses the new one. */
    public void refresh(String username) {
        acls.put(username, loader.apply(username));
    }

    /** Drops what is kept of a removed user. */
    public void forget(String username) {
        acls.remove(username);
    }

    @Override
    public boolean mayPublish(String clientId, String username, String topic) {
        if (!base.mayPublish(clientId, username, topic)) {
            return false;
        }
        Optional<TopicAcl> acl = acl(username);
        return acl.isEmpty() || acl.get().mayPublish(username, clientId, topic);
    }

    @Override
    public boolean maySubscribe(String clientId, String username, String filter) {
        if (!base.maySubscribe(clientId, username, filter)) {
            return false;
        }
        Optional<TopicAcl> acl = acl(username);
        return acl.isEmpty() || acl.get().maySubscribe(username, clientId, filter);
    }

    private Optional<TopicAcl> acl(String username) {
        // a miss means the client connected before this authorizer knew it (it should not happen): load it now
        return username == null ? Optional.empty() : acls.computeIfAbsent(username, loader);
    }
}
