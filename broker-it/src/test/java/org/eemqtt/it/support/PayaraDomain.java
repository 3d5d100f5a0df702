package org.eemqtt.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Payara Server domain of a test's own, in a folder under target/, driven through the unpacked server's asadmin:
 * port base {@code portBase} (admin port base + 48, HTTP base + 80). Every asadmin call leaves its output under
 * target/it-work/asadmin; a failed call fails the test with that output and the tail of the server log.
 */
public final class PayaraDomain {

    private final String name;
    private final int portBase;
    private final Path asadminScript;
    private final Path domainDir;
    private final Path asadminLogs;
    private boolean started;

    public PayaraDomain(String name, int portBase) {
        this.name = name;
        this.portBase = portBase;
        this.asadminScript = ItSettings.payaraServerHome().resolve("bin/asadmin");
        assertThat(asadminScript).as("asadmin of the unpacked Payara Server").exists();
        this.domainDir = ItSettings.workDir().resolve("payara-domains");
        this.asadminLogs = ItSettings.workDir().resolve("asadmin");
    }

    public String name() {
        return name;
    }

    public int adminPort() {
        return portBase + 48;
    }

    /** The folder that holds the domain's folder (asadmin's --domaindir). */
    public Path domainsDir() {
        return domainDir;
    }

    public Path dir() {
        return domainDir.resolve(name);
    }

    /**
     * Stops and removes what an aborted earlier run left (the domain, and the local instances of its node, which
     * would hold their ports), then checks that the admin port is free.
     */
    public void removeLeftovers(String... instances) {
        Path nodeDir = ItSettings.payaraServerHome().resolve("glassfish/nodes/localhost-" + name);
        for (String instance : instances) {
            if (Files.exists(nodeDir.resolve(instance))) {
                raw(Duration.ofSeconds(120), null, "stop-local-instance", "--node", "localhost-" + name, instance);
            }
        }
        if (Files.exists(dir())) {
            raw(Duration.ofSeconds(120), null, "stop-domain", "--domaindir", domainDir.toString(), name);
        }
        deleteTree(nodeDir);
        deleteTree(dir());
        assertThat(BrokerReadiness.portAcceptsConnections(ItSettings.HOST, adminPort()))
                .as("admin port %d must be free", adminPort()).isFalse();
    }

    public void create() {
        local(Duration.ofSeconds(180), "create-domain", "--nopassword=true", "--portbase", String.valueOf(portBase),
                "--domaindir", domainDir.toString(), name);
    }

    public void start() {
        local(Duration.ofSeconds(240), "start-domain", "--domaindir", domainDir.toString(), name);
        started = true;
    }

    public void restart() {
        local(Duration.ofSeconds(240), "restart-domain", "--domaindir", domainDir.toString(), name);
    }

    /** Marks the domain as started by someone else (a script), so that {@link #stop} stops it. */
    public void startedElsewhere() {
        started = true;
    }

    /** Stops the domain if it was started; failures are not checked (clean-up after a test). */
    public void stop() {
        if (started) {
            raw(Duration.ofSeconds(120), null, "stop-domain", "--domaindir", domainDir.toString(), name);
            started = false;
        }
    }

    /** A local asadmin subcommand that must exit 0. */
    public void local(Duration timeout, String subcommand, String... args) {
        check(raw(timeout, null, subcommand, args));
    }

    /** A remote asadmin subcommand against the domain's admin port that must exit 0; returns its output. */
    public String remote(Duration timeout, String subcommand, String... args) {
        return check(raw(timeout, adminPort(), subcommand, args)).stdout();
    }

    /** A remote subcommand whose failure is not checked (clean-up). */
    public ProcessRunner.Result remoteUnchecked(Duration timeout, String subcommand, String... args) {
        return raw(timeout, adminPort(), subcommand, args);
    }

    /** The asadmin command line (through bash: works even if the unpacked script lost its executable bit). */
    public List<String> asadminCommand() {
        return List.of("bash", asadminScript.toString(), "--interactive=false");
    }

    private ProcessRunner.Result check(ProcessRunner.Result result) {
        if (!result.succeeded()) {
            throw new AssertionError("asadmin failed\n" + result.describe() + "\n" + serverLogTail());
        }
        return result;
    }

    private ProcessRunner.Result raw(Duration timeout, Integer port, String subcommand, String... args) {
        List<String> command = new ArrayList<>(asadminCommand());
        if (port != null) {
            command.addAll(List.of("--port", String.valueOf(port)));
        }
        command.add(subcommand);
        command.addAll(List.of(args));
        return ProcessRunner.run(command, ItSettings.workDir(), asadminLogs, "asadmin-" + subcommand, timeout);
    }

    public String serverLogTail() {
        return logTail(dir().resolve("logs/server.log"));
    }

    public static String logTail(Path log) {
        return "--- last lines of " + log + " ---\n" + ProcessRunner.tail(log, 80);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
