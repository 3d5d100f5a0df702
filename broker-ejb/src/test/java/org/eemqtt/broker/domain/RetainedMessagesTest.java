package org.eemqtt.broker.domain;

import org.eemqtt.api.packet.PublishProperties;
import org.eemqtt.api.packet.QoS;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedMessagesTest {

    private final RetainedMessages retained = new RetainedMessages();

    private static Message message(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, true,
                PublishProperties.NONE, "publisher");
    }

    private List<Message> matching(String filter) {
        List<Message> found = new ArrayList<>();
        retained.matching(filter, found::add);
        return found;
    }

    private static List<String> payloads(List<Message> messages) {
        return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void nothingRetainedMatchesNothing() {
        assertThat(matching("#")).isEmpty();
    }

    @Test
    void keepsTheMessageOfATopic() {
        Message m = message("a/b", "1");
        retained.retain(m);
        assertThat(matching("a/b")).containsExactly(m);
    }

    @Test
    void aNewerMessageReplacesTheOlder() {
        retained.retain(message("a/b", "1"));
        retained.retain(message("a/b", "2"));
        assertThat(payloads(matching("a/b"))).containsExactly("2");
    }

    @Test
    void emptyPayloadDeletesTheRetainedMessage() {
        retained.retain(message("a/b", "1"));
        retained.retain(message("a/c", "keep"));
        retained.retain(message("a/b", ""));
        assertThat(matching("a/b")).isEmpty();
        assertThat(payloads(matching("a/+"))).containsExactly("keep");
    }

    @Test
    void emptyPayloadForAnUnknownTopicStoresNothing() {
        retained.retain(message("x", ""));
        assertThat(matching("#")).isEmpty();
    }

    @Test
    void matchesByFilter() {
        retained.retain(message("home/kitchen/temp", "k"));
        retained.retain(message("home/garden/temp", "g"));
        retained.retain(message("home/kitchen/light", "l"));
        retained.retain(message("office/temp", "o"));
        assertThat(payloads(matching("home/+/temp"))).containsExactlyInAnyOrder("k", "g");
        assertThat(payloads(matching("home/#"))).containsExactlyInAnyOrder("k", "g", "l");
        assertThat(payloads(matching("#"))).containsExactlyInAnyOrder("k", "g", "l", "o");
        assertThat(payloads(matching("home/kitchen/light"))).containsExactly("l");
        assertThat(matching("home")).isEmpty();
    }

    @Test
    void dollarTopicsOnlyForFiltersThatNameThem() {
        retained.retain(message("$SYS/version", "v"));
        assertThat(matching("#")).isEmpty();
        assertThat(matching("+/version")).isEmpty();
        assertThat(payloads(matching("$SYS/#"))).containsExactly("v");
    }
}
