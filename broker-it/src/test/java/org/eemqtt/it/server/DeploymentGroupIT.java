package org.eemqtt.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.PayaraDomain;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * broker.ear on a Payara Server deployment group of two instances, set up by
 * server-config/payara-server/deployment-group.sh exactly as the README shows it: a domain of its own (port base
 * 30000, -Dit.payara.dg.portbase moves it; instances at base + 1000 and base + 2000, MQTT on their base + 883), the
 * EAR deployed to the group only, each instance with its own H2 store. The DAS is a member of the domain's data grid
 * but runs no broker: the instances must count each other only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentGroupIT {

    private static final int PORT_BASE = Integer.getInteger("it.payara.dg.portbase", 30000);
    private static final String GROUP = "eemqtt";
    private static final List<String> INSTANCES = List.of("instance1", "instance2");
    private static final String ADMIN_PASSWORD = "dg-admin-secret";

    private static PayaraDomain domain;

    @BeforeAll
    static void createGroupAndDeploy() {
        domain = new PayaraDomain("eemqtt-dg-it", PORT_BASE);
        domain.removeLeftovers(INSTANCES.toArray(String[]::new));
        for (int i = 1; i <= 2; i++) {
            assertThat(BrokerReadiness.portAcceptsConnections(ItSettings.HOST, mqttPort(i)))
                    .as("port %d must be free", mqttPort(i)).isFalse();
        }
        Path script = Paths.get("../server-config/payara-server/deployment-group.sh").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("env", "DOMAIN=" + domain.name(),
                "DOMAIN_DIR=" + domain.domainsDir(), "PORT_BASE=" + PORT_BASE, "GROUP=" + GROUP,
                "INSTANCE_PORT_BASES=" + instanceBase(1) + " " + instanceBase(2),
                "SETTINGS=mqtt.guest.password=guest:mqtt.admin.password=" + ADMIN_PASSWORD,
                "bash", script.toString(), ItSettings.payaraServerHome().toString(),
                ItSettings.brokerEar().toString()));
        domain.startedElsewhere();
        ProcessRunner.Result result = ProcessRunner.run(command, ItSettings.workDir(),
                ItSettings.workDir().resolve("asadmin"), "deployment-group", Duration.ofMinutes(10));
        assertThat(result.succeeded()).as("deployment-group.sh\n%s\n%s", result.describe(), domain.serverLogTail())
                .isTrue();
    }

    @AfterAll
    static void stopGroupAndDomain() {
        if (domain != null) {
            domain.remoteUnchecked(Duration.ofSeconds(180), "stop-deployment-group", GROUP);
            domain.stop();
        }
    }

    @Test
    void aMessageCrossesFromOneInstanceToTheOtherBothWays() throws Exception {
        for (int i = 1; i <= 2; i++) {
            awaitBrokerNodes(i);
        }
        roundTrip(2, 1);
        roundTrip(1, 2);
        for (int i = 1; i <= 2; i++) {
            assertThat(instanceLog(i)).as("each instance has its own H2 store")
                    .contains("Store open: jdbc:h2:file:" + instanceLogFile(i).getParent().getParent()
                            .resolve("mqtt-data/mqtt"));
        }
    }

    @Test
    void asadminShowsTheApplicationOnTheGroupOnlyAndEachInstancesSettings() {
        assertThat(domain.remote(Duration.ofSeconds(60), "list-applications", "--long", GROUP))
                .contains("broker").contains("connector");
        assertThat(domain.remote(Duration.ofSeconds(60), "list-applications", "server"))
                .as("the DAS does not run the broker").doesNotContain("broker");
        assertThat(domain.remote(Duration.ofSeconds(60), "list-sub-components", "broker"))
                .contains("mqtt-connector.rar");
        assertThat(domain.remote(Duration.ofSeconds(60), "list-system-properties", "instance2"))
                .contains("mqtt.tcp.port=" + mqttPort(2)).contains("mqtt.cluster.enabled=true")
                // shown resolved as on the DAS; the instance resolves the token to its own folder (see the round trip)
                .contains("mqtt.data.dir=");
    }

    @Test
    void theUsersApiAsksTheOtherInstanceNotTheDas() throws Exception {
        for (int i = 1; i <= 2; i++) {
            awaitBrokerNodes(i);
        }
        // the instance's JAX-RS application starts with its first requests (404 or 500 until then)
        Await.until(Duration.ofSeconds(60), () -> adminGet(1, "/rest/v3/user/list").statusCode() == 200,
                () -> "users API of instance1 up\n" + instanceLogTail(1));
        MqttClient client = PahoClients.connect(broker(2), Ids.clientId("dg-status"), true, null);
        try {
            long started = System.nanoTime();
            HttpResponse<String> response = adminGet(1, "/rest/v3/user/guest/status");
            long millis = (System.nanoTime() - started) / 1_000_000;
            // waiting for the DAS would answer 503 after mqtt.cluster.timeout (10 s)
            assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
            assertThat(millis).as("answered without waiting for a member that runs no broker").isLessThan(5_000);
            assertThat(response.body()).contains(nodeId(2));
        } finally {
            PahoClients.closeQuietly(client);
        }
    }

    private static HttpResponse<String> adminGet(int instance, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ItSettings.HOST + ":"
                        + (instanceBase(instance) + 80) + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The broker disabled on instance 2 (its member stays in the data grid): instance 1 counts one node, and a QoS 1
     * publish to a filter that instance 2's persistent session held is acknowledged at once instead of waiting
     * {@code mqtt.cluster.timeout} for a node that no longer listens. Enabled again, the two find each other.
     */
    @Test
    @Order(Integer.MAX_VALUE) // last: the others need both brokers
    void aBrokerDisabledOnOneInstanceIsNoNodeWhileItsMemberStays() throws Exception {
        for (int i = 1; i <= 2; i++) {
            awaitBrokerNodes(i);
        }
        String topic = Ids.topicRoot("dg") + "/disabled";
        MqttClient subscriber = PahoClients.connect(broker(2), Ids.clientId("dg-persistent"), false, null);
        subscriber.subscribe(topic, 1);
        PahoClients.closeQuietly(subscriber);

        domain.remote(Duration.ofSeconds(120), "disable", "--target", "instance2", "broker");
        Await.until(Duration.ofSeconds(30), () -> lastClusterLine(1).contains("MQTT cluster: 1 node ("),
                () -> "instance1 counts one node\n" + instanceLogTail(1));
        assertThat(lastClusterLine(1)).contains("3 data grid members");
        MqttClient publisher = PahoClients.connect(broker(1), Ids.clientId("dg-pub-disabled"), true, null);
        try {
            publisher.setTimeToWait(20_000);
            long started = System.nanoTime();
            publisher.publish(topic, PahoClients.utf8("to a node that stopped"), 1, false);
            assertThat((System.nanoTime() - started) / 1_000_000).as("PUBACK without waiting for instance2")
                    .isLessThan(5_000);
        } finally {
            PahoClients.closeQuietly(publisher);
        }

        domain.remote(Duration.ofSeconds(180), "enable", "--target", "instance2", "broker");
        Await.until(Duration.ofSeconds(120), () -> lastClusterLine(1).contains("MQTT cluster: 2 nodes ("),
                () -> "instance1 counts two nodes again\n" + instanceLogTail(1));
        awaitBrokerNodes(2);
        roundTrip(1, 2);
    }

    private static String lastClusterLine(int instance) {
        String log = instanceLog(instance);
        int at = log.lastIndexOf("MQTT cluster: ");
        return at < 0 ? "" : log.substring(at, log.indexOf('\n', at) < 0 ? log.length() : log.indexOf('\n', at));
    }

    /** Subscribes on instance {@code to}, publishes at QoS 1 on instance {@code from}, and sees it arrive at QoS 1. */
    private static void roundTrip(int from, int to) throws Exception {
        String topic = Ids.topicRoot("dg") + "/" + from + "-to-" + to;
        RecordingCallback received = new RecordingCallback();
        MqttClient subscriber = PahoClients.connect(broker(to), Ids.clientId("dg-sub" + to), true, received);
        MqttClient publisher = null;
        try {
            subscriber.subscribe(topic, 1);
            publisher = PahoClients.connect(broker(from), Ids.clientId("dg-pub" + from), true, null);
            publisher.publish(topic, PahoClients.utf8("from instance" + from), 1, false);
            RecordingCallback.Received message = received.next(Duration.ofSeconds(20));
            assertThat(message.text()).isEqualTo("from instance" + from);
            assertThat(message.qos()).isEqualTo(1);
        } finally {
            PahoClients.closeQuietly(subscriber);
            if (publisher != null) {
                PahoClients.closeQuietly(publisher);
            }
        }
    }

    /** The instance's broker is ready and counts two broker nodes, although the data grid has three members. */
    private static void awaitBrokerNodes(int instance) {
        Await.until(Duration.ofSeconds(120), () -> isConnackAccepted(BrokerReadiness.probe(ItSettings.HOST,
                mqttPort(instance))), () -> "CONNACK on " + mqttPort(instance) + "\n" + instanceLogTail(instance));
        Await.until(Duration.ofSeconds(60), () -> instanceLog(instance).contains("MQTT cluster: 2 nodes"),
                () -> "instance" + instance + " sees the other\n" + instanceLogTail(instance));
        assertThat(instanceLog(instance)).contains("3 data grid members").doesNotContain("MQTT cluster: 3 nodes");
    }

    private static RunningBroker broker(int instance) {
        return new RunningBroker(ItSettings.HOST, mqttPort(instance), null);
    }

    private static String nodeId(int instance) {
        String log = instanceLog(instance);
        int at = log.indexOf("(this node ");
        assertThat(at).as("instance%d logged its node id", instance).isNotNegative();
        return log.substring(at + "(this node ".length(), log.indexOf(';', at));
    }

    private static int instanceBase(int instance) {
        return PORT_BASE + 1000 * instance;
    }

    private static int mqttPort(int instance) {
        return instanceBase(instance) + 883;
    }

    private static Path instanceLogFile(int instance) {
        return ItSettings.payaraServerHome().resolve("glassfish/nodes/localhost-" + domain.name() + "/instance"
                + instance + "/logs/server.log");
    }

    private static String instanceLog(int instance) {
        try {
            return Files.exists(instanceLogFile(instance)) ? Files.readString(instanceLogFile(instance)) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String instanceLogTail(int instance) {
        return PayaraDomain.logTail(instanceLogFile(instance));
    }

    private static boolean isConnackAccepted(byte[] answer) {
        return answer != null && answer[0] == 0x20 && answer[3] == 0x00;
    }
}
