package org.eemqtt.api;

import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of the broker, in one place: the MicroProfile Config key (also settable as a system property, or as
 * an environment variable in upper case with underscores, e.g. {@code MQTT_TCP_PORT}) and its default. The
 * connector and the broker both read their settings through these constants; the README lists them.
 */
public enum Setting {
    TCP_PORT("mqtt.tcp.port", "1883", "TCP port of the plain MQTT listener"),
    BIND_ADDRESS("mqtt.bind.address", "0.0.0.0", "address the MQTT listeners bind to"),
    TLS_PORT("mqtt.tls.port", "8883", "TLS port of the MQTT listener; -1: no TLS listener"),
    TLS_KEYSTORE("mqtt.tls.keystore", "",
            "PKCS#12 keystore with the key and certificate of TLS and HTTPS; empty: <mqtt.data.dir>/tls/broker.p12, "
                    + "generated (self-signed) on the first start"),
    TLS_KEYSTORE_PASSWORD("mqtt.tls.keystore.password", "changeit", "password of the keystore and of its key"),
    TLS_TRUSTSTORE("mqtt.tls.truststore", "",
            "PKCS#12 (or JKS) keystore of the CA certificates that client certificates are checked against"),
    TLS_TRUSTSTORE_PASSWORD("mqtt.tls.truststore.password", "changeit", "password of the truststore"),
    TLS_CLIENT_AUTH("mqtt.tls.client.auth", "none", "client certificates on the TLS listener: none, optional or required"),
    TLS_CN_AS_USERNAME("mqtt.tls.cn.as.username", "false",
            "a verified client certificate's CN is the user name, and no password is asked"),
    HTTPS_PORT("mqtt.https.port", "8181",
            "uber-jar only: HTTPS port Payara Micro opens with the TLS key (for HTTPS and WSS); -1: no HTTPS"),
    DATA_DIR("mqtt.data.dir", "./data", "folder of the embedded H2 database (relative to the working directory)"),
    DB_URL("mqtt.db.url", "",
            "JDBC URL of the store; empty: an H2 file database in mqtt.data.dir; jdbc:mysql://...: MySQL or MariaDB"),
    DB_USER("mqtt.db.user", "sa", "database user"),
    DB_PASSWORD("mqtt.db.password", "", "database password"),
    STORAGE("mqtt.storage", "jpa",
            "where sessions, queued messages and retained messages live: jpa (the database) or hazelcast (cluster maps)"),
    MAX_PACKET_SIZE("mqtt.max.packet.size", "1048576", "largest MQTT packet accepted, in bytes (whole packet)"),
    CONNECT_TIMEOUT("mqtt.connect.timeout", "10", "seconds a new connection may take to send CONNECT"),
    ALLOW_ANONYMOUS("mqtt.allow.anonymous", "false", "accept CONNECT without a user name"),
    ADMIN_PASSWORD("mqtt.admin.password", "",
            "password of the user admin that a start creates when no user has the admin role; empty: random, logged once"),
    GUEST_PASSWORD("mqtt.guest.password", "",
            "when set, a start creates the user guest with this password if it is missing (demos, tests); empty: none"),
    LOGIN_MAX_FAILURES("mqtt.login.max.failures", "10",
            "failed logins (MQTT and REST) one address may make within mqtt.login.block.seconds; then it is refused"),
    LOGIN_BLOCK_SECONDS("mqtt.login.block.seconds", "60",
            "window of mqtt.login.max.failures, and how long an address that exceeded it is refused, in seconds"),
    MAX_QUEUED_MESSAGES("mqtt.session.max.queued", "1000",
            "messages queued per session while it is offline or its in-flight window is full"),
    MAX_QUEUED_BYTES("mqtt.session.max.queued.bytes", "67108864",
            "payload bytes queued per session at most (with mqtt.session.max.queued); beyond, that copy is dropped"),
    MAX_INFLIGHT_MESSAGES("mqtt.session.max.inflight", "65535",
            "QoS 1 and 2 messages sent to a client and not yet acknowledged, at most (lower if the client asks)"),
    MAX_QOS("mqtt.max.qos", "2", "highest QoS the broker accepts and grants (0, 1 or 2); told to 5.0 clients"),
    RETAIN_AVAILABLE("mqtt.retain.available", "true", "whether retained messages are supported"),
    RECEIVE_MAXIMUM("mqtt.receive.maximum", "1024",
            "QoS 1 and 2 PUBLISHes a 5.0 client may have unacknowledged towards the broker (1-65535)"),
    TOPIC_ALIAS_MAXIMUM("mqtt.topic.alias.maximum", "32",
            "topic aliases a 5.0 client may use towards the broker (0 = none)"),
    MAX_KEEP_ALIVE("mqtt.keepalive.max", "60",
            "longest keep-alive in seconds; a 5.0 client asking for more (or 0) is told this as Server Keep Alive"),
    MAX_TOPIC_LENGTH("mqtt.max.topic.length", "65535", "longest topic name or filter, in UTF-8 bytes"),
    SHARED_SUBSCRIPTIONS("mqtt.shared.subscriptions", "true", "whether $share/{group}/{filter} is offered"),
    MAX_SUBSCRIPTIONS("mqtt.session.max.subscriptions", "1000",
            "topic filters one session may hold; more are refused (5.0 SUBACK 0x97 quota exceeded)"),
    DENIED_FILTERS("mqtt.denied.filters", "",
            "comma-separated topic filters nobody may publish to or subscribe to (5.0: 0x87 not authorized)"),
    RESPONSE_INFORMATION("mqtt.response.information", "",
            "Response Information for 5.0 clients that request it (%c = the client id); empty: none"),
    EXIT_ON_START_FAILURE("mqtt.exit.on.start.failure", "false",
            "end the JVM when a listener cannot start (true in the Payara Micro uber-jar, where nothing else would)"),
    LOG_LEVEL("mqtt.log.level", "INFO", "java.util.logging level of the broker's loggers (org.eemqtt)"),
    CLUSTER_ENABLED("mqtt.cluster.enabled", "false",
            "take part in a cluster through Payara's Hazelcast (start Micro with --clustername and --clustermode too)"),
    CLUSTER_TIMEOUT("mqtt.cluster.timeout", "10",
            "seconds a node waits for another node to confirm a forwarded QoS 1/2 message, a subscription or a takeover");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The value {@code lookup} finds for this key (e.g. MicroProfile Config's), trimmed, or the default. */
    public String value(Function<String, Optional<String>> lookup) {
        return lookup.apply(key).filter(v -> !v.isBlank()).orElse(defaultValue).trim();
    }

    public int intValue(Function<String, Optional<String>> lookup) {
        String value = value(lookup);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    public boolean booleanValue(Function<String, Optional<String>> lookup) {
        String value = value(lookup);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("Setting " + key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
