package org.eemqtt.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling helpers with a bounded wait; they fail with a message that says what was awaited. */
public final class Await {

    private Await() {
    }

    /** Polls every 100 ms until the condition holds; fails after the timeout with the described state. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> failureMessage) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not reached within " + timeout.toSeconds() + " s: " + failureMessage.get());
            }
            sleep(Duration.ofMillis(100));
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
