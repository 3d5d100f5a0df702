package org.eemqtt.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BadInput;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.HiveClients;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared broker's TLS listener (ItSettings.tlsPort) and HTTPS listener (ItSettings.httpsPort), both with the
 * certificate it generated on its first start into data/tls, which the clients here trust through its PEM file only.
 */
@ExtendWith(BrokerExtension.class)
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path pem(RunningBroker broker) {
        return TlsFiles.generatedPem(broker.process());
    }

    private static SSLContext trustingThePem(RunningBroker broker) throws Exception {
        return TlsFiles.context(TlsFiles.trusting(pem(broker)), null);
    }

    @Test
    void mosquittoPubAndSubOverTlsWithTheGeneratedPemAsCafile(RunningBroker broker) {
        Path logs = ItSettings.workDir().resolve("mosquitto-tls");
        String topic = Ids.topicRoot("tls-mosquitto");
        List<String> tls = List.of("-h", "localhost", "-p", String.valueOf(ItSettings.tlsPort()), "--cafile",
                pem(broker).toString(), "-u", "guest", "-P", "guest", "-V", "mqttv311");
        List<String> sub = new ArrayList<>(List.of("mosquitto_sub", "-t", topic, "-C", "1", "-W", "20", "-q", "1"));
        sub.addAll(tls);
        List<String> pub = new ArrayList<>(List.of("mosquitto_pub", "-t", topic, "-m", "over TLS", "-q", "1"));
        pub.addAll(tls);

        ProcessRunner.Running subscriber = ProcessRunner.start(sub, null, logs);
        ProcessRunner.Result received;
        try {
            subscriber.publishUntilExited(() -> {
                ProcessRunner.Result published = ProcessRunner.run(pub, null, logs, WAIT);
                assertThat(published.succeeded()).as("mosquitto_pub over TLS:\n%s\n%s", published.describe(),
                        broker.describe()).isTrue();
            });
        } finally {
            received = subscriber.finish(Duration.ofSeconds(30));
        }
        assertThat(received.exitCode()).as("mosquitto_sub over TLS:\n%s", received.describe()).isZero();
        assertThat(received.stdout()).isEqualTo("over TLS\n");
    }

    @Test
    void hiveMqClientOverTlsAndPahoClientOverTcpExchangeMessages(RunningBroker broker) throws Exception {
        String topic = Ids.topicRoot("tls-tcp");
        Mqtt5BlockingClient tlsClient = HiveClients.builder(broker, Ids.clientId("tls-hive"))
                .serverHost("localhost") // the certificate's name: the client checks it
                .serverPort(ItSettings.tlsPort())
                .sslConfig().trustManagerFactory(TlsFiles.trusting(pem(broker))).applySslConfig()
                .buildBlocking();
        RecordingCallback tcpReceived = new RecordingCallback();
        MqttClient tcpClient = null;
        try (Mqtt5BlockingClient.Mqtt5Publishes tlsReceived = connectAndListen(tlsClient)) {
            tlsClient.subscribeWith().topicFilter(topic + "/to-tls").qos(MqttQos.AT_LEAST_ONCE).send();
            tcpClient = PahoClients.connect(broker, Ids.clientId("tcp-paho"), true, tcpReceived);
            tcpClient.subscribe(topic + "/to-tcp", 1);

            tcpClient.publish(topic + "/to-tls", PahoClients.utf8("from TCP"), 1, false);
            Optional<Mqtt5Publish> got = tlsReceived.receive(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(got).as("TLS client receives the TCP client's message; %s", broker.describe()).isPresent();
            assertThat(new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("from TCP");

            tlsClient.publishWith().topic(topic + "/to-tcp").qos(MqttQos.EXACTLY_ONCE)
                    .payload("from TLS".getBytes(StandardCharsets.UTF_8)).send();
            RecordingCallback.Received message = tcpReceived.next(WAIT);
            assertThat(message.text()).isEqualTo("from TLS");
        } finally {
            HiveClients.disconnectQuietly(tlsClient);
            PahoClients.closeQuietly(tcpClient);
        }
    }

    private static Mqtt5BlockingClient.Mqtt5Publishes connectAndListen(Mqtt5BlockingClient client) {
        HiveClients.connect(client);
        return client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
    }

    @Test
    void certificateNamesLocalhostAndTheLoopbackAddressAndClientsVerifyBoth(RunningBroker broker) throws Exception {
        X509Certificate generated = TlsFiles.certificate(pem(broker));
        assertThat(generated.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(generated.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");

        for (String host : List.of("localhost", "127.0.0.1")) {
            try (SSLSocket socket = (SSLSocket) trustingThePem(broker).getSocketFactory()
                    .createSocket(host, ItSettings.tlsPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the name must match a SAN
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(generated);
                assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                // MQTT works on it, raw: CONNECT guest/guest, CONNACK accepted
                socket.getOutputStream().write(MqttPackets.connect("MQTT", 4, false, Ids.clientId("tls-raw"),
                        "guest", "guest", 30, true));
                socket.setSoTimeout(10_000);
                assertThat(socket.getInputStream().readNBytes(4)).isEqualTo(MqttPackets.CONNACK_ACCEPTED);
            }
        }
    }

    @Test
    void httpsPortPresentsTheSameCertificateAsTheTlsPort(RunningBroker broker) throws Exception {
        HttpsURLConnection https = (HttpsURLConnection) new URL("https://localhost:" + ItSettings.httpsPort() + "/")
                .openConnection();
        https.setSSLSocketFactory(trustingThePem(broker).getSocketFactory());
        https.setConnectTimeout(10_000);
        https.setReadTimeout(10_000);
        try {
            assertThat(https.getResponseCode()).as("HTTPS answers").isBetween(200, 499);
            assertThat(https.getServerCertificates()[0]).isEqualTo(TlsFiles.certificate(pem(broker)));
        } finally {
            https.disconnect();
        }
    }

    @Test
    void plainMqttOnTheTlsPortIsClosedAndLoggedWithoutItsBytes(RunningBroker broker) throws Exception {
        String password = "plain-" + Ids.suffix();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(ItSettings.HOST, ItSettings.tlsPort()), 5_000);
            plain.getOutputStream().write(MqttPackets.connect("MQTT", 4, false, Ids.clientId("plain-on-tls"),
                    "guest", password, 30, true));
            assertClosedWithoutMqtt(plain);
        }
        Await.until(WAIT, () -> broker.process().logText().contains("TLS handshake failed (not TLS"),
                () -> "log line for plain TCP on the TLS port\n" + broker.describe());
        assertThat(broker.process().logText()).as("the client's bytes (with its password) are not logged")
                .doesNotContain(password).doesNotContain(hex(password));
        assertBrokerServesTcpAndTls(broker);
    }

    @Test
    void tls11AndGarbageHandshakesAreRefusedAndLoggedInOneLine(RunningBroker broker) throws Exception {
        // a TLS 1.1-only client (OpenSSL; the JDK would not even offer 1.1)
        ProcessRunner.Result old = ProcessRunner.run(List.of("openssl", "s_client", "-tls1_1", "-connect",
                        ItSettings.HOST + ":" + ItSettings.tlsPort(), "-CAfile", pem(broker).toString()), null,
                ItSettings.workDir().resolve("openssl-tls11"), Duration.ofSeconds(20));
        assertThat(old.succeeded()).as("openssl s_client -tls1_1 must fail:\n%s", old.describe()).isFalse();
        assertThat(old.stdout() + old.describe()).doesNotContain("Cipher is TLS");

        // a TLS record header followed by nonsense
        try (Socket garbage = new Socket()) {
            garbage.connect(new InetSocketAddress(ItSettings.HOST, ItSettings.tlsPort()), 5_000);
            garbage.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8});
            assertClosedWithoutMqtt(garbage);
        }
        Await.until(WAIT, () -> broker.process().logText().contains("TLSv1.1"),
                () -> "log line for the TLS 1.1 client\n" + broker.describe());
        String log = broker.process().logText();
        assertThat(log.lines().filter(l -> l.contains("TLS handshake failed")).count()).isGreaterThanOrEqualTo(2);
        assertThat(log).as("no stack trace from a handshake").doesNotContain("at io.netty.handler.ssl");
        assertBrokerServesTcpAndTls(broker);
    }

    private static void assertClosedWithoutMqtt(Socket socket) throws IOException {
        socket.setSoTimeout((int) BadInput.CLOSE_WITHIN.toMillis());
        InputStream in = socket.getInputStream();
        byte[] answer = new byte[64];
        try {
            int n;
            int total = 0;
            while ((n = in.read(answer, 0, answer.length)) >= 0) {
                total += n; // a TLS alert may come first; never a CONNACK (0x20)
                assertThat(answer[0]).as("no MQTT answer on the TLS port").isNotEqualTo((byte) 0x20);
                assertThat(total).isLessThan(1024);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the TLS port left a non-TLS connection open for " + BadInput.CLOSE_WITHIN, e);
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
    }

    private static void assertBrokerServesTcpAndTls(RunningBroker broker) throws Exception {
        BadInput.assertBrokerStillServes(broker);
        try (SSLSocket socket = (SSLSocket) trustingThePem(broker).getSocketFactory()
                .createSocket(ItSettings.HOST, ItSettings.tlsPort())) {
            socket.getOutputStream().write(MqttPackets.connect("MQTT", 4, false, Ids.clientId("tls-after"), "guest",
                    "guest", 30, true));
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo(MqttPackets.CONNACK_ACCEPTED);
        }
    }

    private static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
