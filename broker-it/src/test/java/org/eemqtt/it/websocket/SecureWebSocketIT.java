package org.eemqtt.it.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.Await;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.eemqtt.it.tls.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT.js over wss:// on the shared broker's HTTPS listener (ItSettings.httpsPort), trusting only the certificate the
 * broker generated (its PEM, host name checked), talking to mosquitto clients on the TLS listener: one key for both
 * listeners, the same endpoint and engine as ws://.
 */
@ExtendWith(BrokerExtension.class)
class SecureWebSocketIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static String wssUrl() {
        return "wss://localhost:" + ItSettings.httpsPort() + "/mqtt";
    }

    private static Path pem(RunningBroker broker) {
        return TlsFiles.generatedPem(broker.process());
    }

    private static List<String> mosquittoOverTls(String tool, RunningBroker broker) {
        return new ArrayList<>(List.of(tool, "-h", "localhost", "-p", String.valueOf(ItSettings.tlsPort()),
                "--cafile", pem(broker).toString(), "-u", "guest", "-P", "guest", "-q", "1"));
    }

    @Test
    void wssSubscriberReceivesFromMosquittoPubOverTls(RunningBroker broker) {
        String topic = Ids.topicRoot("wss-in");
        ProcessRunner.Running sub = NodeMqtt.start("wss-sub", "ws-sub.js", wssUrl(), topic, "1", "5",
                pem(broker).toString());
        try {
            Await.until(Duration.ofSeconds(30), () -> sub.stdoutSoFar().contains("SUBSCRIBED") || !sub.isAlive(),
                    () -> "MQTT.js did not subscribe over wss://");
            List<String> pub = mosquittoOverTls("mosquitto_pub", broker);
            pub.addAll(List.of("-V", "mqttv311", "-t", topic, "-m", "over tls"));
            ProcessRunner.Result published = ProcessRunner.run(pub, null,
                    ItSettings.workDir().resolve("wss-mosquitto"), Duration.ofSeconds(20));
            assertThat(published.succeeded()).as(published.describe()).isTrue();
        } finally {
            ProcessRunner.Result received = sub.finish(LIMIT);
            assertThat(received.exitCode()).as(received.describe()).isZero();
            assertThat(received.stdout()).as(received.describe()).contains("MSG over tls");
        }
    }

    @Test
    void mosquittoSubOverTlsReceivesFromWssPublisher(RunningBroker broker) {
        String topic = Ids.topicRoot("wss-out");
        List<String> subCommand = mosquittoOverTls("mosquitto_sub", broker);
        subCommand.addAll(List.of("-V", "mqttv5", "-t", topic, "-C", "1", "-W", "40"));
        ProcessRunner.Running sub = ProcessRunner.start(subCommand, null,
                ItSettings.workDir().resolve("wss-mosquitto"));
        sub.publishUntilExited(() -> {
            ProcessRunner.Result pub = NodeMqtt.start("wss-pub", "ws-pub.js", wssUrl(), topic, "1", "4", "over wss ",
                    pem(broker).toString()).finish(LIMIT);
            assertThat(pub.succeeded()).as(pub.describe()).isTrue();
        });
        ProcessRunner.Result received = sub.finish(LIMIT);
        assertThat(received.exitCode()).as(received.describe()).isZero();
        assertThat(received.stdout()).as(received.describe()).isEqualTo("over wss 0\n");
    }
}
