package org.eemqtt.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eemqtt.it.support.BrokerProcess;
import org.eemqtt.it.support.BrokerReadiness;
import org.eemqtt.it.support.Ids;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.RunningBroker;

/**
 * A broker of its own on a data folder that outlives it, started, killed with SIGKILL (no shutdown hook, no final
 * flush: only what was committed survives) and started again on the same folder. Each start takes the next port
 * pair (36893/38590 and up with the default IT ports), so that a socket of the killed process never delays a bind.
 */
final class KilledBroker implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(180);
    private static final int SIGKILL_EXIT = 128 + 9;

    private final String name;
    private final Path dataDir;
    private final Map<String, String> settings;
    private int starts;
    private BrokerProcess process;
    private RunningBroker running;

    KilledBroker(String name, StoreUnderTest store, Map<String, String> extraSettings) {
        this.name = name;
        this.dataDir = ItSettings.workDir().resolve(name + "-data-" + Ids.suffix());
        this.settings = new HashMap<>(store.brokerSettings(dataDir));
        settings.putAll(extraSettings);
    }

    /** Starts (or starts again) and waits until it accepts a login. */
    RunningBroker start() {
        int mqttPort = ItSettings.mqttPort() + 10 + starts;
        int httpPort = ItSettings.httpPort() + 10 + starts;
        starts++;
        Map<String, String> withPort = new HashMap<>(settings);
        withPort.put("mqtt.tcp.port", String.valueOf(mqttPort));
        process = BrokerProcess.start(name + "-" + starts, withPort, List.of("--port", String.valueOf(httpPort)));
        BrokerReadiness.awaitReady(process, ItSettings.HOST, mqttPort, START);
        running = new RunningBroker(ItSettings.HOST, mqttPort, process);
        return running;
    }

    /** kill -9, and proof that it was SIGKILL: the exit status of a process killed by signal 9 is 137. */
    void killNine() throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(process.exitCode()).as("exit status of the killed broker").isEqualTo(SIGKILL_EXIT);
    }

    RunningBroker running() {
        return running;
    }

    String describe() {
        return process == null ? name : process.describe();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
