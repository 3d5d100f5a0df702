package org.eemqtt.broker.domain;

import java.util.List;

/**
 * A user's topic permissions: the topic filters the user may publish to and subscribe to. In a pattern {@code %u}
 * stands for the user name and {@code %c} for the client id. A name or client id holding {@code +}, {@code #} or
 * {@code /} would widen or move a pattern, so a pattern that needs such a substitution grants nothing.
 */
public record TopicAcl(List<String> publish, List<String> subscribe) {

    /** Patterns are kept one per line, so a pattern holds no control characters. */
    public TopicAcl {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
        publish.forEach(TopicAcl::requireValid);
        subscribe.forEach(TopicAcl::requireValid);
    }

    /** Why {@code pattern} cannot be a pattern, or null when it can. */
    public static String invalidReason(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "a pattern must not be empty";
        }
        if (pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            return "a pattern must not contain control characters";
        }
        if (!Topics.isValidFilter(pattern)) {
            return "'" + pattern + "' is not a valid topic filter";
        }
        return null;
    }

    private static void requireValid(String pattern) {
        String reason = invalidReason(pattern);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
    }

    /** Whether some publish pattern matches the topic name. */
    public boolean mayPublish(String user, String clientId, String topic) {
        for (String pattern : publish) {
            String filter = substitute(pattern, user, clientId);
            if (filter != null && Topics.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the filter lies wholly within some subscribe pattern (nothing outside it could be delivered). */
    public boolean maySubscribe(String user, String clientId, String filter) {
        for (String pattern : subscribe) {
            String allowed = substitute(pattern, user, clientId);
            if (allowed != null && Topics.covers(allowed, filter)) {
                return true;
            }
        }
        return false;
    }

    /** The pattern with {@code %u} and {@code %c} replaced, or null when a replacement is unsafe. */
    static String substitute(String pattern, String user, String clientId) {
        String result = pattern;
        if (result.contains("%u")) {
            if (!safe(user)) {
                return null;
            }
            result = result.replace("%u", user);
        }
        if (result.contains("%c")) {
            if (!safe(clientId)) {
                return null;
            }
            result = result.replace("%c", clientId);
        }
        return result;
    }

    private static boolean safe(String value) {
        return value != null && !value.isEmpty() && value.indexOf('+') < 0 && value.indexOf('#') < 0
                && value.indexOf('/') < 0;
    }
}
