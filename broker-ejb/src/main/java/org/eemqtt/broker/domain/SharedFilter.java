package org.eemqtt.broker.domain;

/**
 * The topic filter of a shared subscription, {@code $share/{ShareName}/{filter}} (MQTT 5.0 4.8.2), taken apart:
 * the share name (the group) and the filter the group's messages are matched with.
 */
public record SharedFilter(String shareName, String filter) {

    public static final String PREFIX = "$share/";

    /** Whether the client asked for a shared subscription: the filter starts with {@code $share/}. */
    public static boolean isShared(String topicFilter) {
        return topicFilter.startsWith(PREFIX);
    }

    /**
     * The shared filter, or null when {@code topicFilter} is not a well-formed one: a share name of at least one
     * character (MQTT-4.8.2-1) without '/', '+' or '#', followed by '/' and a valid topic filter (MQTT-4.8.2-2).
     */
    public static SharedFilter parse(String topicFilter) {
        if (topicFilter == null || !isShared(topicFilter)) {
            return null;
        }
        int slash = topicFilter.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return null; // no '/' after the share name, hence no filter
        }
        String shareName = topicFilter.substring(PREFIX.length(), slash);
        String filter = topicFilter.substring(slash + 1);
        if (shareName.isEmpty() || shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0
                || !Topics.isValidFilter(filter)) {
            return null;
        }
        return new SharedFilter(shareName, filter);
    }

    /** The whole filter as the client wrote it. */
    public String topicFilter() {
        return PREFIX + shareName + "/" + filter;
    }
}
