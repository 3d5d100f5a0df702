package org.eemqtt.broker.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The last retained message of each topic. */
public final class RetainedMessages {

    private final Map<String, Message> byTopic = new ConcurrentHashMap<>();

    /** Stores a retained message, or deletes the topic's retained message when the payload is empty. */
    public void retain(Message message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
        } else {
            byTopic.put(message.topic(), message);
        }
    }

    /**
     * Calls {@code sink} with every retained message whose topic matches {@code filter}; an expired one is removed
     * instead (MQTT 5.0 3.3.2.3.3).
     */
    public void matching(String filter, Consumer<Message> sink) {
        long now = System.currentTimeMillis();
        for (Message message : byTopic.values()) {
            if (message.isExpired(now)) {
                byTopic.remove(message.topic(), message);
            } else if (Topics.matches(filter, message.topic())) {
                sink.accept(message);
            }
        }
    }

    /** Every retained message, expired ones included. */
    public void forEach(Consumer<Message> sink) {
        byTopic.values().forEach(sink);
    }
}
