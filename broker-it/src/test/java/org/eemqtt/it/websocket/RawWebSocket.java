package org.eemqtt.it.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.Packet;

/**
 * A WebSocket client that writes raw MQTT bytes in binary frames of the test's choosing (java.net.http.WebSocket)
 * and collects what the broker sends, frame boundaries ignored.
 */
public final class RawWebSocket implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private int framesReceived;
    private WebSocket socket;

    /** ws://127.0.0.1:{http port}/mqtt of the shared broker. */
    static URI endpoint() {
        return URI.create("ws://" + ItSettings.HOST + ":" + ItSettings.httpPort() + "/mqtt");
    }

    /** Opens a WebSocket to the shared broker's /mqtt offering the given subprotocols (none when empty). */
    static RawWebSocket open(String... subprotocols) {
        return open(endpoint(), subprotocols);
    }

    /** Opens a WebSocket to {@code endpoint} offering the given subprotocols (none when empty). */
    public static RawWebSocket open(URI endpoint, String... subprotocols) {
        RawWebSocket client = new RawWebSocket();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(endpoint, client).orTimeout(15, TimeUnit.SECONDS).join();
        return client;
    }

    /** The subprotocol the server selected ("" for none). */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    /** One complete binary WebSocket message of these bytes. */
    public RawWebSocket send(byte[] bytes) {
        return sendPart(bytes, true);
    }

    /** One binary frame; {@code last} false means a continuation frame follows (one WebSocket message). */
    RawWebSocket sendPart(byte[] bytes, boolean last) {
        socket.sendBinary(ByteBuffer.wrap(bytes), last).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    RawWebSocket sendText(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    /** Waits until at least {@code count} complete MQTT packets arrived; returns all complete packets so far. */
    public List<Packet> awaitPackets(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Packet> packets = completePackets();
            if (packets.size() >= count) {
                return packets;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Expected " + count + " MQTT packets over WebSocket within " + timeout
                        + ", got " + packets.size() + (closed.isDone() ? " (closed with " + closed.join() + ")" : ""));
            }
            sleep();
        }
    }

    /** The WebSocket close code the broker sent, or fails after {@code timeout}. */
    int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("WebSocket not closed by the broker within " + timeout, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    synchronized int framesReceived() {
        return framesReceived;
    }

    /** Complete packets received so far (a trailing partial packet is left out). */
    synchronized List<Packet> completePackets() {
        byte[] bytes = received.toByteArray();
        List<Packet> packets = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            int end = packetEnd(bytes, pos);
            if (end < 0) {
                break;
            }
            packets.addAll(Packet.parseAll(Arrays.copyOfRange(bytes, pos, end)));
            pos = end;
        }
        return packets;
    }

    private static int packetEnd(byte[] bytes, int start) {
        int pos = start + 1;
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            if (pos >= bytes.length) {
                return -1;
            }
            b = bytes[pos++] & 0xFF;
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        return pos + length <= bytes.length ? pos + length : -1;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.writeBytes(bytes);
            framesReceived++;
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** Drops the connection: no close frame. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
