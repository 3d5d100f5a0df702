package org.eemqtt.it.support;

/**
 * A broker the tests can talk to: where it listens, and the process behind it for diagnosis.
 *
 * @param host    address to connect to
 * @param port    MQTT TCP port
 * @param process the uber-jar process (its log is quoted in failure messages)
 */
public record RunningBroker(String host, int port, BrokerProcess process) {

    /** URI for Eclipse Paho, e.g. tcp://127.0.0.1:1883. */
    public String tcpUri() {
        return "tcp://" + host + ":" + port;
    }

    /** Log tail and state of the broker process, for assertion messages. */
    public String describe() {
        return process == null ? host + ":" + port : process.describe();
    }
}
