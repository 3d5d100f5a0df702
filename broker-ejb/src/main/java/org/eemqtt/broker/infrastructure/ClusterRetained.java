package org.eemqtt.broker.infrastructure;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.eemqtt.broker.domain.Message;
import org.eemqtt.broker.domain.Topics;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's retained messages: the Hazelcast map {@code eemqtt.retained}, topic to message ({@link
 * ClusterFrames#message} bytes, so that Hazelcast needs none of our classes). Every node writes it before the
 * acknowledgement, so a subscription on any node finds a retained message whose publisher was acknowledged.
 */
final class ClusterRetained {

    static final String MAP = "eemqtt.retained";
    private static final Logger LOG = Logger.getLogger(ClusterRetained.class.getName());

    private final IMap<String, byte[]> retained;

    ClusterRetained(HazelcastInstance hazelcast) {
        this.retained = hazelcast.getMap(MAP);
    }

    /** Sets the topic's retained message, or deletes it (empty payload). */
    CompletionStage<Void> changed(Message message) {
        CompletionStage<?> done = message.payload().length == 0 ? retained.removeAsync(message.topic())
                : retained.setAsync(message.topic(), ClusterFrames.message(message));
        return done.thenApply(any -> null);
    }

    /** A message this node recovered: kept unless the cluster has a (newer) one for its topic. */
    void offer(Message message) {
        retained.putIfAbsent(message.topic(), ClusterFrames.message(message));
    }

    /** Calls {@code sink} with the unexpired retained messages matching {@code filter}; remote reads: blocks. */
    void matching(String filter, Consumer<Message> sink) {
        try {
            long now = System.currentTimeMillis();
            int[] seen = {0, 0};
            retained.forEach((topic, bytes) -> {
                seen[0]++;
                if (Topics.matches(filter, topic)) {
                    Message message = ClusterFrames.message(bytes);
                    if (!message.isExpired(now)) {
                        seen[1]++;
                        sink.accept(message);
                    }
                }
            });
            LOG.fine(() -> "Retained messages for " + filter + ": " + seen[1] + " of " + seen[0]);
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Retained messages for " + filter + " could not be read", failure);
        }
    }
}
