package org.eemqtt.broker.domain;

import java.util.Arrays;
import java.util.List;

/**
 * The authorizer that allows everything except a fixed list of topic filters (setting {@code mqtt.denied.filters}):
 * nobody may publish to a topic a denied filter matches, nor subscribe to a filter that lies wholly within one (no message can
 * reach a denied topic, so a wider filter such as {@code #} is harmless).
 */
public final class DeniedFilters implements Authorizer {

    private final List<String> denied;

    public DeniedFilters(List<String> denied) {
        for (String filter : denied) {
            if (!Topics.isValidFilter(filter)) {
                throw new IllegalArgumentException("Denied topic filter '" + filter + "' is not a valid filter");
            }
        }
        this.denied = List.copyOf(denied);
    }

    /** Parses the comma-separated setting value; blanks are ignored. */
    public static DeniedFilters parse(String commaSeparated) {
        return new DeniedFilters(Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    @Override
    public boolean mayPublish(String clientId, String username, String topic) {
        for (String filter : denied) {
            if (Topics.matches(filter, topic)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean maySubscribe(String clientId, String username, String filter) {
        for (String d : denied) {
            if (Topics.covers(d, filter)) {
                return false;
            }
        }
        return true;
    }
}
