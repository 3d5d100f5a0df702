package org.eemqtt.it.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eemqtt.it.support.ItSettings;
import org.eemqtt.it.support.ProcessRunner;

/**
 * MQTT.js in Node: installs the {@code mqtt} package from the npm registry into target/node-mqtt once per build
 * (kept while target/ is), copies the test scripts (src/test/resources/websocket/*.js) beside it and runs them.
 * Node and npm are required: without them the tests fail and say so, they are not skipped.
 */
final class NodeMqtt {

    /** The MQTT.js major version the scripts are written for. */
    private static final String PACKAGE = "mqtt@5";
    private static final List<String> SCRIPTS = List.of("ws-sub.js", "ws-pub.js");
    private static Path home;

    private NodeMqtt() {
    }

    /** The folder with node_modules/mqtt and the scripts. */
    static synchronized Path home() {
        if (home != null) {
            return home;
        }
        Path dir = ItSettings.workDir().getParent().resolve("node-mqtt");
        Path logs = ItSettings.workDir().resolve("node-mqtt-install");
        require(List.of("node", "--version"), dir, logs);
        if (!Files.isDirectory(dir.resolve("node_modules/mqtt"))) {
            ProcessRunner.Result install = ProcessRunner.run(List.of("npm", "install", "--prefix", dir.toString(),
                    "--no-audit", "--no-fund", "--loglevel", "error", PACKAGE), null, logs, Duration.ofMinutes(5));
            if (!install.succeeded()) {
                throw new AssertionError("npm could not install " + PACKAGE + " from the npm registry:\n"
                        + install.describe());
            }
        }
        for (String script : SCRIPTS) {
            try (InputStream in = NodeMqtt.class.getResourceAsStream("/websocket/" + script)) {
                Files.copy(in, dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        home = dir;
        return dir;
    }

    /** Starts {@code node <script> <args>} in the background. */
    static ProcessRunner.Running start(String label, String script, String... args) {
        Path dir = home();
        List<String> command = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
        command.addAll(List.of(args));
        return ProcessRunner.start(command, dir, ItSettings.workDir().resolve("node"), label);
    }

    private static void require(List<String> command, Path dir, Path logs) {
        try {
            Files.createDirectories(dir);
            ProcessRunner.Result result = ProcessRunner.run(command, dir, logs, Duration.ofSeconds(30));
            if (result.succeeded()) {
                ProcessRunner.Result npm = ProcessRunner.run(List.of("npm", "--version"), dir, logs,
                        Duration.ofSeconds(60));
                if (npm.succeeded()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        throw new AssertionError("The WebSocket tests run MQTT.js in Node: install node and npm (Debian: "
                + "apt-get install nodejs npm) and put them on the PATH");
    }
}
