package org.eemqtt.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker of its own that requires client certificates from a test CA (made with keytool) on its TLS listener and
 * takes the certificate's CN as the user name (mqtt.tls.cn.as.username): no password, anonymous access off.
 */
class ClientCertificateIT {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static BrokerProcess process;
    private static RunningBroker broker;
    private static int tlsPort;
    private static Path device;
    private static Path stranger;
    private static Path dir;

    @BeforeAll
    static void startBrokerThatRequiresClientCertificates() throws Exception {
        dir = Files.createDirectories(ItSettings.workDir().resolve("client-certificates-" + Ids.suffix()));
        TestCertificates ca = TestCertificates.authority(dir, "trusted");
        device = ca.client("device-7");
        stranger = TestCertificates.authority(dir, "unknown").client("device-8");

        int tcpPort = ItSettings.mqttPort() + 45;
        tlsPort = ItSettings.mqttPort() + 46;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mqtt.tcp.port", String.valueOf(tcpPort));
        settings.put("mqtt.tls.port", String.valueOf(tlsPort));
        settings.put("mqtt.tls.truststore", ca.truststore().toString());
        settings.put("mqtt.tls.client.auth", "required");
        settings.put("mqtt.tls.cn.as.username", "true");
        process = BrokerProcess.start("client-certificates", settings,
                List.of("--port", String.valueOf(ItSettings.httpPort() + 45)));
        BrokerReadiness.awaitReady(process, ItSettings.HOST, tcpPort, STARTUP);
        Await.until(WAIT, () -> BrokerReadiness.portAcceptsConnections(ItSettings.HOST, tlsPort),
                () -> "TLS port " + tlsPort + " open\n" + process.describe());
        broker = new RunningBroker(ItSettings.HOST, tcpPort, process);
    }

    @AfterAll
    static void stop() {
        if (process != null) {
            process.close();
        }
    }

    private static Mqtt5BlockingClient client(String id, KeyManagerFactory key) throws Exception {
        return Mqtt5Client.builder().identifier(id).serverHost("localhost").serverPort(tlsPort)
                .sslConfig()
                .trustManagerFactory(TlsFiles.trusting(TlsFiles.generatedPem(process)))
                .keyManagerFactory(key)
                .applySslConfig()
                .buildBlocking();
    }

    @Test
    void certificateCnIsTheUserNameWithoutPassword() throws Exception {
        String id = Ids.clientId("cert-cn");
        Mqtt5BlockingClient client = client(id, TlsFiles.keyOf(device));
        try {
            // no user name, no password, anonymous access off: only the certificate can log this client in
            assertThat(client.connectWith().cleanStart(true).send().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String topic = Ids.topicRoot("cert-cn");
            try (Mqtt5BlockingClient.Mqtt5Publishes received = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload("signed".getBytes(StandardCharsets.UTF_8)).send();
                Optional<Mqtt5Publish> message = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(message).isPresent();
                assertThat(new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("signed");
            }
            Await.until(WAIT, () -> process.logText().contains("client '" + id + "' logged in as 'device-7' by its "
                    + "client certificate"), () -> "log names the certificate's CN as the user\n" + process.describe());
        } finally {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }

    @Test
    void mosquittoPubWithClientCertificateAndNoPasswordReachesASubscriber() throws Exception {
        // mosquitto reads PEM: the certificate keytool signed, and the key taken out of the PKCS#12 file by OpenSSL
        Path key = dir.resolve("device-7.key");
        ProcessRunner.Result exported = ProcessRunner.run(List.of("openssl", "pkcs12", "-in", device.toString(),
                "-passin", "pass:" + TlsFiles.PASSWORD, "-nocerts", "-nodes", "-out", key.toString()), null,
                dir.resolve("openssl-logs"), Duration.ofSeconds(30));
        assertThat(exported.succeeded()).as("openssl pkcs12:\n%s", exported.describe()).isTrue();
        String topic = Ids.topicRoot("cert-mosquitto");
        Mqtt5BlockingClient subscriber = client(Ids.clientId("cert-sub"), TlsFiles.keyOf(device));
        try {
            subscriber.connectWith().cleanStart(true).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
                String id = Ids.clientId("cert-mosq");
                ProcessRunner.Result published = ProcessRunner.run(List.of("mosquitto_pub", "-h", "localhost", "-p",
                        String.valueOf(tlsPort), "--cafile", TlsFiles.generatedPem(process).toString(), "--cert",
                        dir.resolve("device-7.crt").toString(), "--key", key.toString(), "-i", id, "-t", topic,
                        "-m", "from mosquitto", "-q", "1"), null, dir.resolve("mosquitto-logs"), WAIT);
                assertThat(published.succeeded()).as("mosquitto_pub with a client certificate:\n%s\n%s",
                        published.describe(), process.describe()).isTrue();
                Optional<Mqtt5Publish> message = received.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(message).isPresent();
                assertThat(new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("from mosquitto");
                assertThat(process.logText()).contains("client '" + id + "' logged in as 'device-7'");
            }
        } finally {
            if (subscriber.getState().isConnected()) {
                subscriber.disconnect();
            }
        }
    }

    @Test
    void clientWithoutCertificateIsRefusedInTheHandshake() throws Exception {
        Mqtt5BlockingClient client = client(Ids.clientId("no-cert"), null);
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("guest")
                .password("guest".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                .as("a TLS client without certificate when mqtt.tls.client.auth=required")
                .isInstanceOf(RuntimeException.class);
        assertThat(client.getState().isConnected()).isFalse();
        Await.until(WAIT, () -> process.logText().contains("TLS handshake failed"),
                () -> "the refused handshake is logged\n" + process.describe());
        certificateCnIsTheUserNameWithoutPassword(); // the broker still serves certificate clients
    }

    @Test
    void certificateFromAnotherAuthorityIsRefused() throws Exception {
        Mqtt5BlockingClient client = client(Ids.clientId("stranger"), TlsFiles.keyOf(stranger));
        assertThatThrownBy(() -> client.connectWith().cleanStart(true).send())
                .as("a certificate the truststore's CA did not sign").isInstanceOf(RuntimeException.class);
        assertThat(client.getState().isConnected()).isFalse();
        assertThat(process.logText()).doesNotContain("logged in as 'device-8'");
    }

    @Test
    void plainTcpListenerStillAsksForUserAndPassword() {
        assertThat(BrokerReadiness.probe(ItSettings.HOST, broker.port()))
                .as("guest/guest over TCP").isEqualTo(org.eemqtt.it.support.MqttPackets.CONNACK_ACCEPTED);
    }
}
