package org.eemqtt.broker.application;

import java.util.List;

/** What the users service needs of the running broker: its users' connections, and telling it of changes. */
public interface LiveUsers {

    /** The user's connections now, oldest first. */
    List<UserConnection> connectionsOf(String username);

    /** The user's password, roles or ACL changed (or the user was created): checks use the new state at once. */
    void changed(String username);

    /** The user was removed: its connections are closed; returns how many. */
    int removed(String username);

    /** Failed logins per address, shared by MQTT and the REST API. */
    LoginThrottle loginThrottle();
}
