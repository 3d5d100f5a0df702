package org.eemqtt.it.retain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.BrokerExtension;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;
import org.eemqtt.it.support.RunningBroker;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retained messages between the mosquitto command-line tools: {@code mosquitto_pub -r} stores, a later
 * {@code mosquitto_sub} prints the RETAIN flag and QoS it got ({@code -F "%r %q %p"}), {@code mosquitto_pub -r -n}
 * deletes, and a subscriber after that gets nothing within its time limit.
 */
@ExtendWith(BrokerExtension.class)
class MosquittoRetainIT {

    @ParameterizedTest(name = "-V {0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void retainedMessageIsStoredSentWithRetainAndDeleted(String version, RunningBroker broker) {
        Path logs = ItSettings.workDir().resolve("mosquitto-retain-" + version);
        String topic = Ids.topicRoot("mosq-retain");
        List<String> common = List.of("-p", String.valueOf(broker.port()), "-u", "guest", "-P", "guest", "-V",
                version, "-t", topic);

        run(logs, "mosquitto_pub", common, "-r", "-q", "1", "-m", "retained by mosquitto");
        ProcessRunner.Result first = run(logs, "mosquitto_sub", common, "-q", "2", "-C", "1", "-W", "20", "-F",
                "%r %q %p");
        // RETAIN 1 (MQTT-3.3.1-8), QoS min(1, 2) = 1
        assertThat(first.stdout()).as(first.describe()).isEqualTo("1 1 retained by mosquitto\n");

        run(logs, "mosquitto_pub", common, "-r", "-q", "1", "-n"); // -n: zero-length payload deletes it
        ProcessRunner.Result after = ProcessRunner.run(command("mosquitto_sub", common, "-q", "1", "-C", "1", "-W",
                "3", "-F", "%r %q %p"), null, logs, Duration.ofSeconds(20));
        assertThat(after.timedOut()).as(after.describe()).isFalse();
        assertThat(after.stdout()).as("nothing retained after the deletion (MQTT-3.3.1-10/-11):\n%s",
                after.describe()).isEmpty();
    }

    private static ProcessRunner.Result run(Path logs, String tool, List<String> common, String... more) {
        ProcessRunner.Result result = ProcessRunner.run(command(tool, common, more), null, logs,
                Duration.ofSeconds(30));
        assertThat(result.succeeded()).as(result.describe()).isTrue();
        return result;
    }

    private static List<String> command(String tool, List<String> common, String... more) {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(common);
        command.addAll(List.of(more));
        return command;
    }
}
