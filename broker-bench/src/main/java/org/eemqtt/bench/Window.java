package org.eemqtt.bench;

/** The measured interval in {@link System#nanoTime()} terms, shared by all connections of a run. */
final class Window {

    volatile long start = Long.MAX_VALUE;
    volatile long end = Long.MAX_VALUE;

    boolean contains(long nanos) {
        return nanos >= start && nanos < end;
    }
}
