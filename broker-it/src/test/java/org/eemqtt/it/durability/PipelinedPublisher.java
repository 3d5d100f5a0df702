package org.eemqtt.it.durability;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.eemqtt.it.support.MqttPackets;

/**
 * An MQTT 3.1.1 publisher on a raw socket that pipelines QoS 1 or 2 PUBLISHes (up to {@code window} unacknowledged)
 * and records, per packet identifier, the payload id the broker acknowledged: PUBACK for QoS 1, PUBREC for QoS 2
 * (the broker's promise that the message is stored; PUBREL follows at once). A library would hide which packet was
 * acknowledged when the connection dies; here every acknowledgement read from the socket counts.
 */
final class PipelinedPublisher implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final int qos;
    private final Semaphore window;
    private final Map<Integer, Integer> payloadIdByPacketId = new ConcurrentHashMap<>();
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread reader;
    private volatile IOException failure;

    PipelinedPublisher(String host, int port, String clientId, int qos, int window) throws IOException {
        this.socket = new Socket(host, port);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.qos = qos;
        this.window = new Semaphore(window);
        out.write(MqttPackets.connect311(clientId, 60)); // clean session, guest/guest
        out.flush();
        int[] connack = readPacket();
        if ((connack[0] >> 4) != 2 || connack[1] != 0) {
            throw new IOException("CONNACK refused");
        }
        reader = new Thread(this::readAcknowledgements, "publisher-acks-" + clientId);
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends payload ids {@code 0..count-1} as "id" strings to {@code topic}; stops when the connection breaks. */
    void publish(String topic, int count) {
        try {
            for (int id = 0; id < count && failure == null; id++) {
                window.acquire();
                int packetId = id % 65_535 + 1;
                payloadIdByPacketId.put(packetId, id);
                byte[] payload = String.valueOf(id).getBytes(StandardCharsets.UTF_8);
                synchronized (out) {
                    out.write(MqttPackets.publish(topic, qos, packetId, payload, false));
                }
                sent.incrementAndGet();
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readAcknowledgements() {
        try {
            while (true) {
                int[] packet = readPacket();
                int type = packet[0] >> 4;
                int packetId = packet[1];
                if (type == 4 || type == 5) { // PUBACK (QoS 1) / PUBREC (QoS 2): stored by the broker
                    Integer payloadId = payloadIdByPacketId.get(packetId);
                    if (payloadId != null) {
                        acknowledged.add(payloadId);
                    }
                    if (type == 5) {
                        synchronized (out) {
                            out.write(MqttPackets.pubrel(packetId));
                        }
                    } else {
                        window.release();
                    }
                } else if (type == 7) { // PUBCOMP: the identifier is free again
                    window.release();
                }
            }
        } catch (IOException e) {
            failure = e;
            window.release(Integer.MAX_VALUE / 2); // unblock the sender
        }
    }

    /** {first byte, packet id or CONNACK code}; the rest of the packet is skipped. */
    private int[] readPacket() throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            b = in.readUnsignedByte();
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        int second = (first >> 4) == 2 ? body[1] : length >= 2 ? ((body[0] & 0xFF) << 8) | (body[1] & 0xFF) : 0;
        return new int[] {first, second};
    }

    int sent() {
        return sent.get();
    }

    /** Payload ids whose PUBLISH the broker acknowledged (a copy: the reader may still add). */
    Set<Integer> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
