package org.eemqtt.it.auth;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SCRAM-SHA-256 for the HiveMQ client's enhanced authentication: client-first in CONNECT (or in AUTH 0x19 for
 * re-authentication), client-final in the answer to the server's AUTH 0x18, and the server-final-message in the
 * CONNACK (or AUTH 0x00) is checked, so a broker that skipped the proof would fail the login. The method name can
 * be changed to test unsupported methods. Every callback is recorded in {@link #events}.
 */
final class ScramMechanism implements Mqtt5EnhancedAuthMechanism {

    final List<String> events = new CopyOnWriteArrayList<>();
    private final String method;
    private final ScramClient scram;

    ScramMechanism(String method, String username, String password) {
        this.method = method;
        this.scram = new ScramClient(username, password);
    }

    ScramMechanism(String username, String password) {
        this("SCRAM-SHA-256", username, password);
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of(method);
    }

    @Override
    public int getTimeout() {
        return 10;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect,
                                          Mqtt5EnhancedAuthBuilder authBuilder) {
        events.add("auth");
        authBuilder.data(scram.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder authBuilder) {
        events.add("reauth");
        authBuilder.data(scram.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth,
                                                 Mqtt5AuthBuilder authBuilder) {
        events.add("continue");
        authBuilder.data(scram.clientFinal(bytes(auth.getData())));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        boolean valid = scram.serverFinalValid(
                connAck.getEnhancedAuth().flatMap(Mqtt5EnhancedAuth::getData).map(ScramMechanism::bytes)
                        .orElse(null));
        events.add("success " + valid);
        return CompletableFuture.completedFuture(valid);
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
        boolean valid = scram.serverFinalValid(bytes(auth.getData()));
        events.add("reauth success " + valid);
        return CompletableFuture.completedFuture(valid);
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        events.add("rejected " + connAck.getReasonCode());
    }

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        events.add("reauth rejected " + disconnect.getReasonCode());
    }

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
        events.add("error " + cause);
    }

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
        events.add("reauth error " + cause);
    }

    private static byte[] bytes(Optional<ByteBuffer> data) {
        return data.map(ScramMechanism::bytes).orElse(null);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
