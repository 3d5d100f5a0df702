package org.eemqtt.it.cluster;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.eemqtt.it.support.ClusterNodes;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8: a persistent subscriber that keeps moving between the two nodes while a publisher on each node sends
 * QoS 1 and QoS 2 streams (16 messages in flight each) loses no acknowledged message (QoS 1: at least once), gets no
 * QoS 2 message twice, and gets each stream's messages in order (first arrivals; MQTT-4.6.0-6).
 * The subscriber is a raw 3.1.1 client that keeps its own session state (the QoS 2 packet ids awaiting PUBREL)
 * across its connections, as a conforming client does, so every duplicate it sees is the broker's.
 *
 * <p>Before the old node relayed messages routed during a move (MovingSessions), this failed every time: with one
 * MariaDB 2,786, 3,344 and 3,280 of 4,000 acknowledged messages were lost, with the hazelcast storage 2,058; all were
 * acknowledged during a move (moves ~190-250 ms and ~90 ms).
 */
class MoveUnderLoadIT extends SharedSessions {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int PER_STREAM = Integer.getInteger("it.moveload.messages", 1000);
    private static final long DWELL_MILLIS = 200;
    private static final int IN_FLIGHT = 16;

    @Override
    String clusterName() {
        return "moveload";
    }

    /** The moving subscriber's view: what arrived, per payload, and its QoS 2 ids awaiting PUBREL. */
    private static final class Subscriber {
        final Map<String, Integer> received = new ConcurrentHashMap<>();
        /** Per stream (node and QoS), the number of the last message that arrived for the first time. */
        final Map<String, Integer> lastFirstArrival = new ConcurrentHashMap<>();
        /** First arrivals that came after a later message of their stream (MQTT-4.6.0-6: ordered topics). */
        final List<String> outOfOrder = new CopyOnWriteArrayList<>();
        final Set<Integer> awaitingRelease = new HashSet<>();
        /** Each move's CONNECT sent and CONNACK received (epoch millis), to tell where losses happen. */
        final List<long[]> moveTimes = new ArrayList<>();
        int moves;

        /** Handles one packet of any of the subscriber's connections, acknowledging it there. */
        void handle(RawConnection connection, Packet packet) {
            if (packet.type() == Packet.PUBLISH) {
                int qos = (packet.flags() >> 1) & 3;
                byte[] body = packet.body();
                int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
                int packetId = ((body[2 + topicLength] & 0xFF) << 8) | (body[3 + topicLength] & 0xFF);
                String payload = new String(body, 4 + topicLength, body.length - 4 - topicLength,
                        StandardCharsets.UTF_8);
                if (qos == 1) {
                    arrived(payload);
                    connection.sendQuietly(MqttPackets.puback(packetId));
                } else if (qos == 2) {
                    // MQTT-4.3.3: a PUBLISH whose id awaits PUBREL is the same message again, not delivered twice
                    if (awaitingRelease.add(packetId)) {
                        arrived(payload);
                    }
                    connection.sendQuietly(MqttPackets.packet(0x50, MqttPackets.u16(packetId)));
                }
            } else if (packet.firstByte() == 0x62) { // PUBREL
                awaitingRelease.remove(packet.packetId());
                connection.sendQuietly(MqttPackets.packet(0x70, MqttPackets.u16(packet.packetId())));
            }
        }

        private void arrived(String payload) {
            if (received.merge(payload, 1, Integer::sum) == 1) {
                int dash = payload.lastIndexOf('-');
                int number = Integer.parseInt(payload.substring(dash + 1));
                Integer before = lastFirstArrival.put(payload.substring(0, dash), number);
                if (before != null && before > number) {
                    outOfOrder.add(payload + " after " + before);
                }
            }
        }

        /** Reads and handles packets for {@code millis}; false once the connection closed. */
        boolean readFor(RawConnection connection, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return true;
                }
                Packet packet;
                try {
                    packet = readPacket(connection, Duration.ofMillis(left));
                } catch (AssertionError e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("Timed out")) {
                        return true;
                    }
                    return false; // closed
                }
                handle(connection, packet);
            }
        }

        /**
         * The next packet: only its first byte is awaited for {@code timeout}; the rest of a packet that began is
         * read whole, so that a timeout never leaves the stream in the middle of a packet.
         */
        private static Packet readPacket(RawConnection connection, Duration timeout) {
            int first = connection.readBytes(1, timeout)[0] & 0xFF;
            int length = 0;
            int multiplier = 1;
            int b;
            java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
            header.write(first);
            do {
                b = connection.readBytes(1, WAIT)[0] & 0xFF;
                header.write(b);
                length += (b & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            byte[] body = connection.readBytes(length, WAIT);
            return new Packet(first, body, body);
        }

        RawConnection connect(ClusterNodes cluster, int node, String clientId, RawConnection previous) {
            long started = System.currentTimeMillis();
            RawConnection next = RawConnection.open(cluster.node(node));
            next.send(MqttPackets.connect("MQTT", 4, false, clientId, MqttPackets.GUEST, MqttPackets.GUEST, 60,
                    false));
            if (previous != null) {
                // the old node closes the old connection before the new one is accepted: what it sent before is
                // handled first, as a client reading one socket after the other would
                long deadline = System.currentTimeMillis() + WAIT.toMillis();
                while (System.currentTimeMillis() < deadline && readFor(previous, 100)) {
                    // until the old node closed it
                }
                previous.close();
            }
            Packet connack = next.readPacket(WAIT);
            assertThat(connack.type()).as("CONNACK after move %d", moves).isEqualTo(Packet.CONNACK);
            assertThat(connack.sessionPresent()).as("session present after move %d", moves).isTrue();
            moves++;
            moveTimes.add(new long[]{started, System.currentTimeMillis()});
            return next;
        }
    }

    @Test
    void aSubscriberMovingBetweenNodesUnderLoadGetsEveryAcknowledgedMessageAndNoQos2Twice() throws Exception {
        String root = Ids.topicRoot("mvload");
        String id = Ids.clientId("mvload");
        Subscriber subscriber = new Subscriber();
        RawConnection connection = RawConnection.open(cluster.node(0));
        connection.send(MqttPackets.connect("MQTT", 4, false, id, MqttPackets.GUEST, MqttPackets.GUEST, 60, false));
        assertThat(connection.readPacket(WAIT).type()).isEqualTo(Packet.CONNACK);
        connection.send(MqttPackets.subscribe(1, root + "/#", 2, false));
        assertThat(connection.readPacket(WAIT).type()).isEqualTo(Packet.SUBACK);

        List<String> acknowledged = new CopyOnWriteArrayList<>();
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        List<Thread> publishers = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            for (int qos = 1; qos <= 2; qos++) {
                int n = node;
                int q = qos;
                publishers.add(started(() -> publishStream(n, q, root, acknowledged, ackedAt, failures)));
            }
        }
        Thread done = started(() -> {
            publishers.forEach(MoveUnderLoadIT::joinQuietly);
            publishing.set(false);
        });

        int node = 0;
        try {
            while (publishing.get()) {
                subscriber.readFor(connection, DWELL_MILLIS);
                node = 1 - node;
                connection = subscriber.connect(cluster, node, id, connection);
            }
            done.join();
            // the last node: wait until every acknowledged message arrived, or nothing more comes
            long quietUntil = System.currentTimeMillis() + WAIT.toMillis();
            int seen = -1;
            while (System.currentTimeMillis() < quietUntil && !subscriber.received.keySet()
                    .containsAll(acknowledged)) {
                subscriber.readFor(connection, 500);
                if (subscriber.received.size() != seen) {
                    seen = subscriber.received.size();
                    quietUntil = System.currentTimeMillis() + WAIT.toMillis();
                }
            }
            connection.sendQuietly(MqttPackets.DISCONNECT);
        } finally {
            connection.close();
        }

        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(subscriber.received.keySet());
        Set<String> qos2Twice = new TreeSet<>();
        subscriber.received.forEach((payload, times) -> {
            if (payload.contains("-q2-") && times > 1) {
                qos2Twice.add(payload + " x" + times);
            }
        });
        Map<String, Integer> missingByStream = new java.util.TreeMap<>();
        missing.forEach(m -> missingByStream.merge(m.substring(0, m.lastIndexOf('-')), 1, Integer::sum));
        // where the losses are: acknowledged during a move (CONNECT to CONNACK on the new node) or between moves
        long duringMoves = missing.stream().filter(m -> subscriber.moveTimes.stream().anyMatch(t ->
                ackedAt.get(m) >= t[0] && ackedAt.get(m) <= t[1] + 50)).count();
        long moveMillis = subscriber.moveTimes.stream().mapToLong(t -> t[1] - t[0]).sum();
        String summary = "missing acknowledged during a move (+50 ms) " + duringMoves + ", moves took "
                + moveMillis + " ms in all; " + subscriber.moves + " moves, " + acknowledged.size() + " acknowledged, "
                + subscriber.received.size() + " distinct received, missing by stream " + missingByStream
                + ", publish failures " + failures.size() + " "
                + failures.stream().limit(5).toList() + "; " + cluster.describe();
        System.out.println("MoveUnderLoadIT: " + summary + "; missing " + missing.size() + ", QoS 2 twice "
                + qos2Twice.size() + ", out of order " + subscriber.outOfOrder.size() + " "
                + subscriber.outOfOrder.stream().limit(10).toList());
        assertThat(subscriber.moves).as(summary).isGreaterThanOrEqualTo(5);
        assertThat(missing).as("acknowledged but never received; " + summary).isEmpty();
        assertThat(qos2Twice).as("QoS 2 received more than once; " + summary).isEmpty();
        assertThat(subscriber.outOfOrder).as("messages of one publisher and QoS out of order; " + summary).isEmpty();
    }

    /** One stream of {@link #PER_STREAM} messages at one QoS from a publisher on {@code node}; notes the acked. */
    private void publishStream(int node, int qos, String root, List<String> acknowledged, Map<String, Long> ackedAt,
                               List<String> failures) {
        Mqtt5BlockingClient publisher = null;
        MqttQos level = qos == 1 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
        // several messages in flight, so that the order the subscriber sees is the broker's doing
        Semaphore window = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < PER_STREAM; i++) {
            String payload = "n" + node + "-q" + qos + "-" + i;
            try {
                if (publisher == null || !publisher.getState().isConnected()) {
                    window.acquire(IN_FLIGHT); // what the old connection had in flight is settled first
                    window.release(IN_FLIGHT);
                    HiveClients.disconnectQuietly(publisher);
                    publisher = HiveClients.connected(cluster.node(node), Ids.clientId("mvload-pub"));
                }
                window.acquire();
                publisher.toAsync().publishWith().topic(root + "/n" + node + "q" + qos).qos(level)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send().whenComplete((result, failure) -> {
                            if (failure == null && result.getError().isEmpty()) {
                                ackedAt.put(payload, System.currentTimeMillis());
                                acknowledged.add(payload);
                            } else {
                                // not acknowledged (a forward not confirmed closes the publisher): not owed
                                failures.add(payload + ": " + (failure != null ? failure : result.getError().get()));
                            }
                            window.release();
                        });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures.add(payload + ": " + e);
                HiveClients.disconnectQuietly(publisher);
                publisher = null;
            }
        }
        window.acquireUninterruptibly(IN_FLIGHT);
        HiveClients.disconnectQuietly(publisher);
    }

    private static Thread started(Runnable task) {
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
