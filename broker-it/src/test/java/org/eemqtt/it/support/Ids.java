package org.eemqtt.it.support;

import java.util.UUID;

/** Unique client ids and topics, so that tests never see each other's sessions or messages. */
public final class Ids {

    private Ids() {
    }

    /** 8 random hex digits. */
    public static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /**
     * A client id such as {@code pub-1a2b3c4d}. The prefix is cut to 14 characters so that the id stays within the
     * 23 characters that MQTT 3.1 servers must accept.
     */
    public static String clientId(String prefix) {
        String p = prefix.length() > 14 ? prefix.substring(0, 14) : prefix;
        return p + "-" + suffix();
    }

    /** A topic root such as {@code it/wildcard-1a2b3c4d}, unique to one test. */
    public static String topicRoot(String name) {
        return "it/" + name + "-" + suffix();
    }
}
