package org.eemqtt.broker.application;

import org.eemqtt.api.MqttConnection;
import org.eemqtt.api.packet.MqttPacket;
import org.eemqtt.api.packet.PublishPacket;

import java.util.ArrayList;
import java.util.List;

/** A transport that records what the broker does with it; thread-safe like a real one. */
final class RecordingConnection implements MqttConnection {

    /** One close() call; {@code lastPacket} may be null. */
    record Close(MqttPacket lastPacket) {
    }

    private final String name;
    private final List<MqttPacket> sent = new ArrayList<>();
    private final List<Close> closes = new ArrayList<>();
    private final List<Integer> keepAlives = new ArrayList<>();

    private final String certificateUsername;

    RecordingConnection(String name) {
        this(name, null);
    }

    RecordingConnection(String name, String certificateUsername) {
        this.name = name;
        this.certificateUsername = certificateUsername;
    }

    @Override
    public String certificateUsername() {
        return certificateUsername;
    }

    @Override
    public synchronized void send(MqttPacket packet) {
        sent.add(packet);
    }

    @Override
    public synchronized void close(MqttPacket lastPacket) {
        closes.add(new Close(lastPacket));
    }

    @Override
    public synchronized void keepAlive(int seconds) {
        keepAlives.add(seconds);
    }

    @Override
    public String remoteAddress() {
        return "test/" + name;
    }

    @Override
    public String listenerName() {
        return "test";
    }

    synchronized List<MqttPacket> sent() {
        return List.copyOf(sent);
    }

    synchronized <T extends MqttPacket> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<PublishPacket> publishes() {
        return sent(PublishPacket.class);
    }

    synchronized MqttPacket lastSent() {
        return sent.isEmpty() ? null : sent.get(sent.size() - 1);
    }

    synchronized List<Close> closes() {
        return List.copyOf(closes);
    }

    synchronized boolean closed() {
        return !closes.isEmpty();
    }

    synchronized List<Integer> keepAlives() {
        return List.copyOf(keepAlives);
    }

    /** Forgets what was sent so far (closes and keep-alives stay). */
    synchronized void clearSent() {
        sent.clear();
    }
}
