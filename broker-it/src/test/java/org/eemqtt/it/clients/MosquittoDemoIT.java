package org.eemqtt.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The original server's demo, verbatim apart from the port: mosquitto_sub and mosquitto_pub as real processes,
 * once per protocol version. The subscriber gets {@code -C 1 -W 20} so that it exits after one message (or 20 s).
 * The fixed client ids "test"/"test1" and topic "test/c" of the demo are kept; the three runs do not overlap.
 */
@ExtendWith(BrokerExtension.class)
class MosquittoDemoIT {

    private static final String MESSAGE = "Test message from mosquitto tools QoS=2";
    private static final Duration SUBSCRIBER_LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "-V {0}")
    @ValueSource(strings = {"mqttv5", "mqttv311", "mqttv31"})
    void subscriberReceivesWhatPublisherSends(String version, RunningBroker broker) {
        Path logs = ItSettings.workDir().resolve("mosquitto-" + version);
        String port = String.valueOf(broker.port());

        List<String> sub = List.of("mosquitto_sub", "-t", "test/c", "-p", port, "-i", "test", "-u", "guest", "-P",
                "guest", "-V", version, "-C", "1", "-W", "20");
        List<String> pub = List.of("mosquitto_pub", "-t", "test/c", "-p", port, "-i", "test1", "-u", "guest", "-P",
                "guest", "-m", MESSAGE, "-q", "2", "-V", version);

        ProcessRunner.Running subscriber = ProcessRunner.start(sub, null, logs);
        ProcessRunner.Result received;
        try {
            // The subscriber prints nothing until a message arrives, so there is no "subscribed" signal.
            subscriber.publishUntilExited(() -> {
                ProcessRunner.Result published = ProcessRunner.run(pub, null, logs, Duration.ofSeconds(20));
                assertThat(published.succeeded())
                        .as("mosquitto_pub must succeed:\n%s\nBroker: %s", published.describe(), broker.describe())
                        .isTrue();
            });
        } finally {
            received = subscriber.finish(SUBSCRIBER_LIMIT);
        }

        assertThat(received.exitCode())
                .as("mosquitto_sub exit code:\n%s\nBroker: %s", received.describe(), broker.describe())
                .isZero();
        assertThat(received.stdout())
                .as("mosquitto_sub output:\n%s", received.describe())
                .isEqualTo(MESSAGE + "\n");
    }
}
