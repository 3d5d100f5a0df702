package org.eemqtt.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A plain {@link Socket} to the broker for byte-level tests. Every byte read is also kept, so that a failing
 * assertion can say exactly what the broker sent.
 */
public final class RawConnection implements AutoCloseable {

    /** How a connection ended: the bytes received before the end, and whether it was an orderly EOF or a reset. */
    public record Closed(byte[] bytesBeforeClose, String how) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawConnection open(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            return new RawConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            throw new UncheckedIOException("Cannot connect to " + host + ":" + port, e);
        }
    }

    public static RawConnection open(RunningBroker broker) {
        return open(broker.host(), broker.port());
    }

    /** Opens a connection and completes an MQTT 3.1.1 CONNECT (guest/guest), asserting CONNACK 20 02 00 00. */
    public static RawConnection connected311(RunningBroker broker, String clientId, int keepAlive) {
        RawConnection c = open(broker);
        c.send(MqttPackets.connect311(clientId, keepAlive));
        c.expectBytes(MqttPackets.CONNACK_ACCEPTED, Duration.ofSeconds(10));
        return c;
    }

    /** Opens a connection and completes an MQTT 5.0 CONNECT (guest/guest), asserting a successful CONNACK. */
    public static RawConnection connected5(RunningBroker broker, String clientId, int keepAlive) {
        RawConnection c = open(broker);
        c.send(MqttPackets.connect5(clientId, keepAlive));
        Packet connack = c.readPacket(Duration.ofSeconds(10));
        if (connack.type() != Packet.CONNACK || connack.connackCode() != 0) {
            throw new AssertionError("Expected a successful 5.0 CONNACK, got " + connack);
        }
        return c;
    }

    /** Writes and flushes the bytes. */
    public void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Write failed; received so far: " + receivedHex(), e);
        }
    }

    /** Writes, ignoring a failure because the broker may legitimately have closed the connection already. */
    public void sendQuietly(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException ignored) {
            // the broker closed first; the reads tell what happened
        }
    }

    /** Reads exactly n bytes or fails (EOF, reset or timeout) with the bytes seen so far. */
    public byte[] readBytes(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r;
            try {
                socket.setSoTimeout(remainingMillis(deadline));
                r = in.read(buf, got, n - got);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + n
                        + " bytes; received on this connection: " + receivedHex());
            } catch (IOException e) {
                throw new AssertionError("Connection failed (" + e.getMessage() + ") while waiting for " + n
                        + " bytes; received on this connection: " + receivedHex());
            }
            if (r < 0) {
                throw new AssertionError("Connection closed by the broker while waiting for " + n
                        + " bytes; received on this connection: " + receivedHex());
            }
            received.write(buf, got, r);
            got += r;
        }
        return buf;
    }

    /** Reads the next whole packet: first byte, remaining length, body. */
    public Packet readPacket(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int first = readBytes(1, timeout)[0] & 0xFF;
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(first);
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            b = readBytes(1, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))[0] & 0xFF;
            header.write(b);
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = readBytes(length, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        return new Packet(first, body, Hex.concat(header.toByteArray(), body));
    }

    /** Reads exactly the expected bytes and fails with both byte strings when they differ. */
    public void expectBytes(byte[] expected, Duration timeout) {
        byte[] actual = readBytes(expected.length, timeout);
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError("Expected " + Hex.of(expected) + " but read " + Hex.of(actual)
                    + "; received on this connection: " + receivedHex());
        }
    }

    /**
     * Reads until the broker closes the connection (EOF or reset) and returns what arrived before. Fails when the
     * connection is still open after the timeout.
     */
    public Closed awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            try {
                socket.setSoTimeout(remainingMillis(deadline));
                int r = in.read(buf);
                if (r < 0) {
                    return new Closed(extra.toByteArray(), "EOF");
                }
                extra.write(buf, 0, r);
                received.write(buf, 0, r);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("The broker did not close the connection within " + timeout.toMillis()
                        + " ms; received on this connection: " + receivedHex());
            } catch (SocketException e) {
                return new Closed(extra.toByteArray(), "reset (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Asserts that nothing arrives and the connection stays open for the given time. */
    public void assertStaysOpenSilently(Duration duration) {
        try {
            socket.setSoTimeout((int) Math.max(1, duration.toMillis()));
            int r = in.read();
            if (r < 0) {
                throw new AssertionError("The broker closed the connection before " + duration.toMillis()
                        + " ms had passed; received on this connection: " + receivedHex());
            }
            received.write(r);
            throw new AssertionError("Unexpected byte from the broker: received on this connection: "
                    + receivedHex());
        } catch (SocketTimeoutException expected) {
            // still open, nothing sent: as required
        } catch (IOException e) {
            throw new AssertionError("Connection failed (" + e.getMessage() + ") before " + duration.toMillis()
                    + " ms had passed; received on this connection: " + receivedHex());
        }
    }

    /**
     * Sends DISCONNECT and waits until the broker has closed the connection, i.e. has handled everything sent
     * before it: a test that connects again right after cannot overtake this connection's last packets.
     */
    public void disconnectAndAwaitClose() {
        send(MqttPackets.DISCONNECT);
        awaitClose(Duration.ofSeconds(10));
    }

    /** All bytes received on this connection so far, in hex. */
    public String receivedHex() {
        return Hex.of(received.toByteArray());
    }

    private static int remainingMillis(long deadline) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        // at least 1 ms: a passed deadline then ends in a SocketTimeoutException with the usual message
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
