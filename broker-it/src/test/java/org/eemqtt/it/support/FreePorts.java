package org.eemqtt.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a port that can be bound right now. Test ports above 32768 lie in Linux's ephemeral range, where any
 * outgoing connection on the machine may hold them for a while: a process started by a test takes the first free
 * port of its own small range instead of failing on a fixed one.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** The first port from {@code from} (inclusive) to {@code from + range} (exclusive) that binds on all addresses. */
    public static int firstFree(int from, int range) {
        for (int port = from; port < from + range; port++) {
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port from " + from + " to " + (from + range - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
