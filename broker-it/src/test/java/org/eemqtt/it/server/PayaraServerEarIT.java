package org.eemqtt.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.eemqtt.it.websocket.RawWebSocket;
import org.eemqtt.it.tls.TlsFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAR on the full Payara Server: a domain of its own (port base 20000, admin port 20048) in a folder under
 * target/, the MQTT port set to 20883 (TLS 20888) through JVM options, deploy, one QoS 1 round trip over TCP, one to a
 * WebSocket client at ws://...:20080/mqtt, a CONNECT over TLS with the generated certificate, undeploy, stop.
 * Independent of the shared uber-jar broker.
 */
class PayaraServerEarIT {

    private static final String DOMAIN = "eemqtt-it";
    private static final int PORT_BASE = 20000;
    private static final String ADMIN_PORT = "20048";
    private static final int MQTT_PORT = 20883;
    private static final int TLS_PORT = 20888;
    /** asadmin derives the application name from the file name broker.ear. */
    private static final String APP_NAME = "broker";

    private static Path asadminScript;
    private static Path domainDir;
    private static Path asadminLogs;
    private static boolean domainStarted;
    private static boolean deployed;

    @BeforeAll
    static void createAndStartDomain() throws IOException {
        asadminScript = ItSettings.payaraServerHome().resolve("bin/asadmin");
        assertThat(asadminScript).as("asadmin of the unpacked Payara Server").exists();
        domainDir = ItSettings.workDir().resolve("payara-domains");
        asadminLogs = ItSettings.workDir().resolve("asadmin");

        // A domain left running by an aborted earlier run would hold the ports: stop it, then start afresh.
        if (Files.exists(domainDir.resolve(DOMAIN))) {
            asadminRaw(Duration.ofSeconds(120), null, "stop-domain", "--domaindir", domainDir.toString(), DOMAIN);
            deleteTree(domainDir.resolve(DOMAIN));
        }
        assertThat(BrokerReadiness.portAcceptsConnections(ItSettings.HOST, MQTT_PORT))
                .as("port %d must be free before the EAR is deployed", MQTT_PORT).isFalse();
        assertThat(BrokerReadiness.portAcceptsConnections(ItSettings.HOST, Integer.parseInt(ADMIN_PORT)))
                .as("admin port %s must be free", ADMIN_PORT).isFalse();

        asadmin(Duration.ofSeconds(180), "create-domain", "--nopassword=true", "--portbase",
                String.valueOf(PORT_BASE), "--domaindir", domainDir.toString(), DOMAIN);
        asadmin(Duration.ofSeconds(240), "start-domain", "--domaindir", domainDir.toString(), DOMAIN);
        domainStarted = true;
        // A JVM option becomes a real -D system property, which MicroProfile Config reads; it needs a restart.
        asadminRemote(Duration.ofSeconds(60), "create-jvm-options",
                "-Dmqtt.tcp.port=" + MQTT_PORT + ":-Dmqtt.tls.port=" + TLS_PORT);
        // no default guest any more: the round trip below logs in as guest/guest
        asadminRemote(Duration.ofSeconds(60), "create-jvm-options", "-Dmqtt.guest.password=guest");
        asadmin(Duration.ofSeconds(240), "restart-domain", "--domaindir", domainDir.toString(), DOMAIN);
    }

    @AfterAll
    static void undeployAndStop() {
        if (deployed) {
            asadminRaw(Duration.ofSeconds(120), ADMIN_PORT, "undeploy", APP_NAME);
        }
        if (domainStarted) {
            asadminRaw(Duration.ofSeconds(120), null, "stop-domain", "--domaindir", domainDir.toString(), DOMAIN);
        }
    }

    @Test
    void earDeploysServesMqttAndUndeploys() throws Exception {
        Path ear = ItSettings.brokerEar();
        asadminRemote(Duration.ofSeconds(300), "deploy", ear.toString());
        deployed = true;

        RunningBroker broker = new RunningBroker(ItSettings.HOST, MQTT_PORT, null);
        Await.until(Duration.ofSeconds(60), () -> isConnackAccepted(BrokerReadiness.probe(broker.host(), MQTT_PORT)),
                () -> "MQTT 3.1.1 CONNECT (guest/guest) accepted on port " + MQTT_PORT + " after deploy\n"
                        + serverLogTail());

        String topic = Ids.topicRoot("payara-server");
        RecordingCallback received = new RecordingCallback();
        List<MqttClient> clients = new ArrayList<>();
        try {
            MqttClient subscriber = PahoClients.connect(broker, Ids.clientId("ps-sub"), true, received);
            clients.add(subscriber);
            subscriber.subscribe(topic, 1);
            MqttClient publisher = PahoClients.connect(broker, Ids.clientId("ps-pub"), true, null);
            clients.add(publisher);
            publisher.publish(topic, PahoClients.utf8("hello from Payara Server"), 1, false);

            RecordingCallback.Received message = received.next(Duration.ofSeconds(20));
            assertThat(message.text()).isEqualTo("hello from Payara Server");
            assertThat(message.qos()).isEqualTo(1);

            // the WAR's WebSocket endpoint reaches the EJB module's broker and runs the codec in the EAR too
            URI ws = URI.create("ws://" + ItSettings.HOST + ":" + (PORT_BASE + 80) + "/mqtt");
            try (RawWebSocket wsClient = RawWebSocket.open(ws, "mqtt")) {
                wsClient.send(MqttPackets.connect311(Ids.clientId("ps-ws"), 30));
                wsClient.send(MqttPackets.subscribe(1, topic, 1, false));
                assertThat(wsClient.awaitPackets(2, Duration.ofSeconds(20))).extracting(Packet::type)
                        .containsExactly(Packet.CONNACK, Packet.SUBACK);
                publisher.publish(topic, PahoClients.utf8("hello over WebSocket"), 1, false);
                Packet delivered = wsClient.awaitPackets(3, Duration.ofSeconds(20)).get(2);
                assertThat(delivered.type()).isEqualTo(Packet.PUBLISH);
                assertThat(new String(delivered.body(), StandardCharsets.UTF_8)).endsWith("hello over WebSocket");
            }
        } finally {
            clients.forEach(PahoClients::closeQuietly);
        }

        // TLS with the key generated into the domain's config/data/tls (the server's working directory)
        Path pem = domainDir.resolve(DOMAIN).resolve("config/data/tls/broker.pem");
        try (Socket tls = TlsFiles.context(TlsFiles.trusting(pem), null).getSocketFactory()
                .createSocket(ItSettings.HOST, TLS_PORT)) {
            tls.setSoTimeout(10_000);
            tls.getOutputStream().write(MqttPackets.connect("MQTT", 4, false, Ids.clientId("ps-tls"), "guest",
                    "guest", 30, true));
            assertThat(tls.getInputStream().readNBytes(4)).as("CONNACK over TLS\n%s", serverLogTail())
                    .isEqualTo(MqttPackets.CONNACK_ACCEPTED);
        }

        asadminRemote(Duration.ofSeconds(120), "undeploy", APP_NAME);
        deployed = false;
        Await.until(Duration.ofSeconds(30),
                () -> !BrokerReadiness.portAcceptsConnections(ItSettings.HOST, MQTT_PORT),
                () -> "port " + MQTT_PORT + " closed after undeploy\n" + serverLogTail());
    }

    private static boolean isConnackAccepted(byte[] answer) {
        return answer != null && answer[0] == 0x20 && answer[3] == 0x00;
    }

    /** Runs a local asadmin subcommand and fails with its output and the server.log tail unless it exits 0. */
    private static void asadmin(Duration timeout, String subcommand, String... args) {
        check(asadminRaw(timeout, null, subcommand, args));
    }

    /** Runs a remote asadmin subcommand against the domain's admin port, failing like {@link #asadmin}. */
    private static void asadminRemote(Duration timeout, String subcommand, String... args) {
        check(asadminRaw(timeout, ADMIN_PORT, subcommand, args));
    }

    private static void check(ProcessRunner.Result result) {
        if (!result.succeeded()) {
            throw new AssertionError("asadmin failed\n" + result.describe() + "\n" + serverLogTail());
        }
    }

    private static ProcessRunner.Result asadminRaw(Duration timeout, String adminPort, String subcommand,
                                                   String... args) {
        // Through bash: works even if the unpacked script lost its executable bit.
        List<String> command = new ArrayList<>(List.of("bash", asadminScript.toString(), "--interactive=false"));
        if (adminPort != null) {
            command.addAll(List.of("--port", adminPort));
        }
        command.add(subcommand);
        command.addAll(List.of(args));
        return ProcessRunner.run(command, ItSettings.workDir(), asadminLogs, "asadmin-" + subcommand, timeout);
    }

    private static String serverLogTail() {
        Path log = domainDir.resolve(DOMAIN).resolve("logs/server.log");
        return "--- last lines of " + log + " ---\n" + ProcessRunner.tail(log, 80);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
