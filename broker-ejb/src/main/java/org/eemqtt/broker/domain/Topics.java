package org.eemqtt.broker.domain;

/** Topic name and topic filter rules (MQTT 3.1.1 4.7, MQTT 5.0 4.7). */
public final class Topics {

    private Topics() {
    }

    /** A topic name to publish to: at least one character, no wildcards, no U+0000. */
    public static boolean isValidName(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return false;
            }
        }
        return true;
    }

    /**
     * A topic filter to subscribe with: at least one character; '#' only as a whole last level; '+' only as a whole
     * level; no U+0000.
     */
    public static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return false;
        }
        int length = filter.length();
        for (int i = 0; i < length; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            boolean levelEnd = i == length - 1 || filter.charAt(i + 1) == '/';
            if (c == '\u0000') {
                return false;
            } else if (c == '+' && !(levelStart && levelEnd)) {
                return false;
            } else if (c == '#' && !(levelStart && i == length - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code topic} (a valid name) matches {@code filter} (a valid filter). */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false; // MQTT-4.7.2-1: wildcards at the first level do not match $-topics
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** Whether every topic name that {@code inner} matches is also matched by {@code outer} (both valid filters). */
    public static boolean covers(String outer, String inner) {
        String[] o = outer.split("/", -1);
        String[] in = inner.split("/", -1);
        if ((o[0].equals("+") || o[0].equals("#")) && in[0].startsWith("$")) {
            return false; // MQTT-4.7.2-1: a leading wildcard never reaches a $-topic
        }
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true;
            }
            if (i >= in.length || in[i].equals("#") || !o[i].equals("+") && !o[i].equals(in[i])) {
                return false;
            }
        }
        return o.length == in.length;
    }
}
