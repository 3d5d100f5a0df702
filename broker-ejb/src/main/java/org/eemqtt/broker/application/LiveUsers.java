package org.eemqtt.broker.application;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the users service needs of the running broker: its users' connections, and telling it of changes. */
public interface LiveUsers {

    /** The user's connections now, oldest first. */
    List<UserConnection> connectionsOf(String username);

    /** The connections of each named user, oldest first (one entry per name, in the order given). */
    default Map<String, List<UserConnection>> connectionsOf(List<String> usernames) {
        Map<String, List<UserConnection>> result = new LinkedHashMap<>();
        usernames.forEach(name -> result.put(name, connectionsOf(name)));
        return result;
    }

    /** The user's password, roles or ACL changed (or the user was created): checks use the new state at once. */
    void changed(String username);

    /** The user was removed: its connections are closed; returns how many. */
    int removed(String username);

    /** Failed logins per address, shared by MQTT and the REST API. */
    LoginThrottle loginThrottle();
}
