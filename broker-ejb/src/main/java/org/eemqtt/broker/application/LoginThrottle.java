package org.eemqtt.broker.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed logins per source address, for MQTT and the REST API alike: an address that fails {@code maxFailures}
 * times within a window of {@code windowMillis} is refused for the same time from its last failure, without its
 * password being checked (which also keeps password guessing from costing PBKDF2 time). Successful logins do not
 * clear the count, so a guesser cannot interleave a valid login to stay under the limit.
 */
public final class LoginThrottle {

    /** Addresses kept at most; beyond it the entries whose window has passed are dropped. */
    private static final int MAX_ADDRESSES = 100_000;

    private static final class Failures {
        long windowStart;
        int count;
        long refusedUntil;
    }

    private final int maxFailures;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    /** @param maxFailures 0 turns the limit off */
    LoginThrottle(int maxFailures, long windowMillis, LongSupplier clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    static LoginThrottle of(UserSettings settings) {
        return new LoginThrottle(settings.loginMaxFailures(), settings.loginBlockSeconds() * 1000L,
                System::currentTimeMillis);
    }

    /** Whether logins from this address are refused now. */
    public boolean refused(String address) {
        Failures failures = byAddress.get(host(address));
        if (failures == null) {
            return false;
        }
        synchronized (failures) {
            return failures.refusedUntil > clock.getAsLong();
        }
    }

    /** Counts a failed login; true when the address is refused from now on. */
    public boolean failed(String address) {
        if (maxFailures <= 0) {
            return false;
        }
        long now = clock.getAsLong();
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.values().removeIf(f -> {
                synchronized (f) {
                    return now - f.windowStart > windowMillis && f.refusedUntil <= now;
                }
            });
        }
        Failures failures = byAddress.computeIfAbsent(host(address), a -> new Failures());
        synchronized (failures) {
            if (now - failures.windowStart > windowMillis) {
                failures.windowStart = now;
                failures.count = 0;
            }
            failures.count++;
            if (failures.count >= maxFailures) {
                failures.refusedUntil = now + windowMillis;
                return true;
            }
            return false;
        }
    }

    /**
     * The host of an address: a socket address as Java prints it ({@code /127.0.0.1:5000}, {@code
     * name/10.0.0.1:5000}, {@code /[::1]:5000}) loses its port, which differs per connection; a plain address (a
     * servlet's remote address, IPv6 without brackets included) stays as it is.
     */
    static String host(String address) {
        if (address == null) {
            return "";
        }
        int slash = address.indexOf('/');
        if (slash < 0) {
            return address;
        }
        String host = address.substring(slash + 1);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }
}
