package org.eemqtt.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** A Paho callback that records every message that arrives and the cause of a lost connection. */
public final class RecordingCallback implements MqttCallback {

    /** One message as delivered to the subscriber. */
    public record Received(String topic, byte[] payload, int qos, boolean retained) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final List<Received> all = new ArrayList<>();
    private final CompletableFuture<Throwable> lost = new CompletableFuture<>();

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received r = new Received(topic, message.getPayload(), message.getQos(), message.isRetained());
        synchronized (all) {
            all.add(r);
        }
        messages.add(r);
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.complete(cause == null ? new IllegalStateException("connection lost without cause") : cause);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // not needed: publish() of MqttClient blocks until the flow is complete
    }

    /** The next message not yet taken; fails when none arrives in time. */
    public Received next(Duration timeout) {
        try {
            Received r = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("No message arrived within " + timeout.toMillis() + " ms; received so far: "
                        + describeAll());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every message received so far, in arrival order. */
    public List<Received> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    public String describeAll() {
        StringBuilder sb = new StringBuilder("[");
        for (Received r : all()) {
            sb.append(r.topic()).append(" qos").append(r.qos()).append(" (").append(r.payload().length)
                    .append(" bytes); ");
        }
        return sb.append("]").toString();
    }

    /** Waits for connectionLost; fails when it is not called in time. */
    public Throwable awaitConnectionLost(Duration timeout) {
        try {
            return lost.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connectionLost was not called within " + timeout.toMillis() + " ms");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean connectionLost() {
        return lost.isDone();
    }
}
