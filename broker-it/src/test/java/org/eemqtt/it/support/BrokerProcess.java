package org.eemqtt.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker started from the Payara Micro uber-jar as a separate process: {@code java -D... -jar
 * ee-mqtt-server.jar [micro args]}, working directory a fresh folder under target/ (so its {@code data} folder with
 * the H2 database is fresh), stdout and stderr in {@code broker.log} in that folder.
 */
public final class BrokerProcess implements AutoCloseable {

    /** The admin password of every test broker (mqtt.admin.password), unless a test sets its own. */
    public static final String ADMIN_PASSWORD = "it-admin-secret";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String name;
    private final Path runDir;
    private final Path log;
    private final Process process;
    private final Thread shutdownHook;

    private BrokerProcess(String name, Path runDir, Path log, Process process) {
        this.name = name;
        this.runDir = runDir;
        this.log = log;
        this.process = process;
        // Safety net for an aborted test JVM; the normal path is close().
        this.shutdownHook = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the uber-jar.
     *
     * @param name            prefix of the run folder, e.g. "shared-broker"
     * @param brokerSettings  MicroProfile Config keys passed as -D system properties, e.g. mqtt.connect.timeout=3;
     *                        unless given, the tests' defaults: user guest/guest, admin/{@link #ADMIN_PASSWORD},
     *                        and no failed-login limit (tests that fail logins on purpose share 127.0.0.1)
     * @param microArgs       extra Payara Micro arguments appended after the jar, e.g. --port 8090
     */
    public static BrokerProcess start(String name, Map<String, String> brokerSettings, List<String> microArgs) {
        Map<String, String> settings = new LinkedHashMap<>(brokerSettings);
        settings.putIfAbsent("mqtt.guest.password", "guest");
        settings.putIfAbsent("mqtt.admin.password", ADMIN_PASSWORD);
        settings.putIfAbsent("mqtt.login.max.failures", "0");
        Path jar = ItSettings.brokerJar();
        Path runDir = ItSettings.workDir().resolve(name + "-" + LocalDateTime.now().format(STAMP) + "-" + Ids.suffix());
        try {
            Files.createDirectories(runDir.resolve("tmp"));
            List<String> command = new ArrayList<>();
            command.add(ItSettings.javaLauncher().toString());
            command.add("-Xmx1g");
            command.add("-Djava.io.tmpdir=" + runDir.resolve("tmp"));
            // TLS (8883) and HTTPS (8181) stay off unless a test asks: brokers started side by side would clash
            settings.putIfAbsent("mqtt.tls.port", "-1");
            settings.putIfAbsent("mqtt.https.port", "-1");
            settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(microArgs);
            Path log = runDir.resolve("broker.log");
            Files.writeString(runDir.resolve("command.txt"), String.join(" ", command) + "\n");
            Process process = new ProcessBuilder(command)
                    .directory(runDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new BrokerProcess(name, runDir, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the broker " + jar + " in " + runDir, e);
        }
    }

    public String name() {
        return name;
    }

    public Path runDir() {
        return runDir;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Exit code, or null while running. */
    public Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    public String logText() {
        return ProcessRunner.read(log);
    }

    public String logTail(int lines) {
        return ProcessRunner.tail(log, lines);
    }

    /** Everything needed to diagnose a failure: pid, state, folder and the log tail. */
    public String describe() {
        return name + " (pid " + process.pid() + ", " + (isAlive() ? "running" : "exited with " + process.exitValue())
                + ", run folder " + runDir + ")\n--- last lines of " + log + " ---\n" + logTail(60);
    }

    /** process.destroy(), then destroyForcibly() when it is still alive after 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }
}
