package org.eemqtt.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.PahoClients;
import org.eemqtt.it.support.PayaraDomain;
import org.eemqtt.it.support.RecordingCallback;
import org.eemqtt.it.support.RunningBroker;
import org.eemqtt.it.rest.OpenApiDocument;
import org.eemqtt.it.websocket.RawWebSocket;
import org.eemqtt.it.tls.TlsFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EAR on the full Payara Server: a domain of its own (port base 20000, admin port 20048; -Dit.payara.portbase
 * moves them) in a folder under target/, the MQTT port set to base + 883 (TLS base + 888) through JVM options, deploy,
 * one QoS 1 round trip over TCP, one to a WebSocket client at ws://...:base+80/mqtt, a CONNECT over TLS with the
 * generated certificate, /openapi parsed with zero messages, undeploy, stop.
 * Independent of the shared uber-jar broker.
 */
class PayaraServerEarIT {

    private static final int PORT_BASE = Integer.getInteger("it.payara.portbase", 20000);
    private static final int MQTT_PORT = PORT_BASE + 883;
    private static final int TLS_PORT = PORT_BASE + 888;
    /** asadmin derives the application name from the file name broker.ear. */
    private static final String APP_NAME = "broker";

    private static PayaraDomain domain;
    private static boolean deployed;

    @BeforeAll
    static void createAndStartDomain() {
        domain = new PayaraDomain("eemqtt-it", PORT_BASE);
        // A domain left running by an aborted earlier run would hold the ports: stop it, then start afresh.
        domain.removeLeftovers();
        assertThat(BrokerReadiness.portAcceptsConnections(ItSettings.HOST, MQTT_PORT))
                .as("port %d must be free before the EAR is deployed", MQTT_PORT).isFalse();

        domain.create();
        domain.start();
        // A JVM option becomes a real -D system property, which MicroProfile Config reads; it needs a restart.
        domain.remote(Duration.ofSeconds(60), "create-jvm-options",
                "-Dmqtt.tcp.port=" + MQTT_PORT + ":-Dmqtt.tls.port=" + TLS_PORT);
        // no default guest any more: the round trip below logs in as guest/guest
        domain.remote(Duration.ofSeconds(60), "create-jvm-options", "-Dmqtt.guest.password=guest");
        domain.restart();
    }

    @AfterAll
    static void undeployAndStop() {
        if (deployed) {
            domain.remoteUnchecked(Duration.ofSeconds(120), "undeploy", APP_NAME);
        }
        domain.stop();
    }

    @Test
    void earDeploysServesMqttAndUndeploys() throws Exception {
        Path ear = ItSettings.brokerEar();
        domain.remote(Duration.ofSeconds(300), "deploy", ear.toString());
        deployed = true;

        RunningBroker broker = new RunningBroker(ItSettings.HOST, MQTT_PORT, null);
        Await.until(Duration.ofSeconds(60), () -> isConnackAccepted(BrokerReadiness.probe(broker.host(), MQTT_PORT)),
                () -> "MQTT 3.1.1 CONNECT (guest/guest) accepted on port " + MQTT_PORT + " after deploy\n"
                        + domain.serverLogTail());

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
        Path pem = domain.dir().resolve("config/data/tls/broker.pem");
        try (Socket tls = TlsFiles.context(TlsFiles.trusting(pem), null).getSocketFactory()
                .createSocket(ItSettings.HOST, TLS_PORT)) {
            tls.setSoTimeout(10_000);
            tls.getOutputStream().write(MqttPackets.connect("MQTT", 4, false, Ids.clientId("ps-tls"), "guest",
                    "guest", 30, true));
            assertThat(tls.getInputStream().readNBytes(4)).as("CONNACK over TLS\n%s", domain.serverLogTail())
                    .isEqualTo(MqttPackets.CONNACK_ACCEPTED);
        }

        OpenApiDocument.assertValid(URI.create("http://" + ItSettings.HOST + ":" + (PORT_BASE + 80) + "/openapi"));

        domain.remote(Duration.ofSeconds(120), "undeploy", APP_NAME);
        deployed = false;
        Await.until(Duration.ofSeconds(30),
                () -> !BrokerReadiness.portAcceptsConnections(ItSettings.HOST, MQTT_PORT),
                () -> "port " + MQTT_PORT + " closed after undeploy\n" + domain.serverLogTail());
    }

    private static boolean isConnackAccepted(byte[] answer) {
        return answer != null && answer[0] == 0x20 && answer[3] == 0x00;
    }
}
