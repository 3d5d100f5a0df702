package org.eemqtt.it.rest;

import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.MqttPackets;
import org.eemqtt.it.support.Packet;
import org.eemqtt.it.support.RawConnection;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins limited per source address, on a broker of its own (3 failures within 60 s), so that the shared
 * broker's tests, which log in from 127.0.0.1 too, are never refused. MQTT and the REST API count together.
 */
class LoginRateLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static BrokerProcess process;
    private static RunningBroker broker;
    private static int httpPort;

    @BeforeAll
    static void start() {
        int port = ItSettings.mqttPort() + 70;
        httpPort = ItSettings.httpPort() + 70;
        Map<String, String> settings = Map.of(
                "mqtt.tcp.port", String.valueOf(port),
                "mqtt.data.dir", ItSettings.workDir().resolve("ratelimit-" + Ids.suffix()).toString(),
                "mqtt.login.max.failures", "3",
                "mqtt.login.block.seconds", "60");
        process = BrokerProcess.start("ratelimit", settings, List.of("--port", String.valueOf(httpPort)));
        BrokerReadiness.awaitReady(process, ItSettings.HOST, port, Duration.ofSeconds(180));
        broker = new RunningBroker(ItSettings.HOST, port, process);
        Rest.awaitWeb(httpPort);
    }

    @AfterAll
    static void stop() {
        if (process != null) {
            process.close();
        }
    }

    private static int connack(String fromAddress, int level, String password) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress(broker.host(), broker.port()), 5_000);
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(MqttPackets.connect("MQTT", level, level == 5, Ids.clientId("rl"), "guest", password, 30,
                    true));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(2);
            byte[] body = in.readNBytes(head[1]);
            Packet connack = new Packet(head[0] & 0xFF, body, null);
            assertThat(connack.type()).isEqualTo(Packet.CONNACK);
            return connack.connackCode();
        }
    }

    @Test
    void afterTooManyFailuresAnAddressIsRefusedOverMqttAndRestEvenWithTheRightPassword() throws Exception {
        assertThat(connack("127.0.0.1", 5, "guest")).as("the right password before").isZero();
        assertThat(connack("127.0.0.1", 5, "wrong-1")).isEqualTo(0x86);
        Rest.as(httpPort, "admin", "wrong-2").get("/rest/v3/user/list").expect(401);
        assertThat(connack("127.0.0.1", 4, "wrong-3")).as("3.1.1 bad user name or password").isEqualTo(0x04);

        assertThat(connack("127.0.0.1", 5, "guest")).as("5.0: connection rate exceeded").isEqualTo(0x9F);
        assertThat(connack("127.0.0.1", 4, "guest")).as("3.1.1: server unavailable").isEqualTo(0x03);
        Rest.Answer refused = Rest.as(httpPort, "admin", BrokerProcess.ADMIN_PASSWORD)
                .get("/rest/v3/user/list").expect(429);
        assertThat(refused.json().path("message").asText()).contains("too many failed logins");

        // another address is not affected (all of 127.0.0.0/8 is this host's loopback)
        assertThat(connack("127.0.0.2", 5, "guest")).isZero();
        assertThat(connack("127.0.0.2", 4, "guest")).isZero();

        String log = process.logText();
        assertThat(log).contains("too many failed logins: the address is refused for a while");
        assertThat(log).doesNotContain("wrong-1", "wrong-2", "wrong-3");
    }
}
