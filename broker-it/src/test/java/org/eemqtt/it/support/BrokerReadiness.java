package org.eemqtt.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/** Decides whether a broker is ready: the port accepts TCP and answers an MQTT 3.1.1 CONNECT with a CONNACK. */
public final class BrokerReadiness {

    private BrokerReadiness() {
    }

    /** True when something accepts TCP connections on the port. */
    public static boolean portAcceptsConnections(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * One probe: connect, send a 3.1.1 CONNECT with guest/guest, read 4 bytes.
     *
     * @return the 4 bytes the broker answered, or null when it did not answer (refused, closed, no answer in 5 s)
     */
    public static byte[] probe(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(MqttPackets.connect311(Ids.clientId("it-ready"), 30));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(4);
            if (answer.length == 4 && Arrays.equals(answer, MqttPackets.CONNACK_ACCEPTED)) {
                out.write(MqttPackets.DISCONNECT);
                out.flush();
            }
            return answer.length == 4 ? answer : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Polls until the broker accepts guest/guest (CONNACK 20 02 00 00). Fails early when the process exits, and on
     * timeout; both messages carry the log tail.
     */
    public static void awaitReady(BrokerProcess process, String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new AssertionError("The broker process exited before it was ready. " + process.describe());
            }
            last = probe(host, port);
            if (last != null && Arrays.equals(last, MqttPackets.CONNACK_ACCEPTED)) {
                return;
            }
            Await.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("The broker did not accept an MQTT 3.1.1 CONNECT (guest/guest) on " + host + ":"
                + port + " within " + timeout.toSeconds() + " s; last answer: "
                + (last == null ? "none" : Hex.of(last)) + ". " + process.describe());
    }
}
