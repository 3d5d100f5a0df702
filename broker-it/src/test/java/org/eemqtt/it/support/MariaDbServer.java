package org.eemqtt.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private MariaDB server for one test (or one test class): its own data folder in a temporary directory, its own
 * TCP port on 127.0.0.1 and its own socket, started from the Debian package's binaries (no system service, no
 * {@code --skip-grant-tables}: users log in with passwords as on a real server). {@link #start()} initialises the
 * data folder, starts {@code mariadbd}, waits until it accepts connections and creates the database {@code mqtt}
 * with a user of its own; {@link #close()} shuts the server down and deletes the data folder. The server's error
 * log is copied to the IT work folder first, for diagnosis.
 *
 * <pre>{@code
 * try (MariaDbServer mariadb = MariaDbServer.start()) {
 *     Map<String, String> settings = new HashMap<>(mariadb.database().brokerSettings());
 *     settings.put("mqtt.tcp.port", ...);
 *     try (BrokerProcess broker = BrokerProcess.start("on-mariadb", settings, List.of("--port", ...))) { ... }
 * }
 * }</pre>
 */
public final class MariaDbServer implements AutoCloseable {

    /** A database on the server and the user that owns it: what the broker's mqtt.db.* settings need. */
    public record Database(String name, String url, String user, String password) {

        /** mqtt.db.url, mqtt.db.user and mqtt.db.password for {@link BrokerProcess#start}. */
        public Map<String, String> brokerSettings() {
            return Map.of("mqtt.db.url", url, "mqtt.db.user", user, "mqtt.db.password", password);
        }

        /** A JDBC connection as this database's user, for assertions on what the broker stored. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    /** First port tried; the next free one up to {@link #PORT_RANGE} above is taken. */
    public static final int DEFAULT_PORT = 33306;
    private static final int PORT_RANGE = 50;
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final List<Path> SERVERS = List.of(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/sbin/mysqld"),
            Path.of("/usr/bin/mariadbd"));
    private static final List<Path> INSTALLERS = List.of(Path.of("/usr/bin/mariadb-install-db"),
            Path.of("/usr/bin/mysql_install_db"), Path.of("/usr/sbin/mariadb-install-db"));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path baseDir;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private Database database;

    private MariaDbServer(Path baseDir, int port, Process process) {
        this.baseDir = baseDir;
        this.port = port;
        this.process = process;
        // Safety net for an aborted test JVM; the normal path is close().
        this.shutdownHook = new Thread(() -> {
            process.destroyForcibly();
            deleteTree(baseDir);
        }, "kill-mariadb-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a server on the first free port from -Dit.mariadb.port (default 33306) and creates database mqtt. */
    public static MariaDbServer start() {
        return start(Integer.getInteger("it.mariadb.port", DEFAULT_PORT));
    }

    /** Starts a server on the first free port from {@code firstPort} and creates database mqtt. */
    public static MariaDbServer start(int firstPort) {
        Path server = firstExisting(SERVERS);
        Path installer = firstExisting(INSTALLERS);
        Path baseDir = initialiseDataFolder(installer);
        int port = firstPort;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = FreePorts.firstFree(port, PORT_RANGE);
            MariaDbServer started = new MariaDbServer(baseDir, port, launch(server, baseDir, port));
            try {
                if (started.awaitReady()) {
                    started.database = started.createDatabase("mqtt");
                    return started;
                }
            } catch (RuntimeException | Error e) {
                started.close();
                throw e;
            }
            // Another process took the port between the check and the bind: try the next one.
            started.stopProcess();
            started.removeHook();
            port++;
        }
        deleteTree(baseDir);
        throw new IllegalStateException("MariaDB could not bind a port from " + firstPort + " to " + port);
    }

    /** The database {@code mqtt} created at start, with its own user. */
    public Database database() {
        return database;
    }

    public int port() {
        return port;
    }

    /**
     * Creates another database with a user of the same name and a random password (granted all privileges on that
     * database only), e.g. for two brokers on one server.
     */
    public Database createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + NAME + ": " + name);
        }
        String password = HexFormat.of().formatHex(RANDOM.generateSeed(12));
        try (Connection c = rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            s.execute("CREATE USER '" + name + "'@'%' IDENTIFIED BY '" + password + "'");
            s.execute("GRANT ALL PRIVILEGES ON " + name + ".* TO '" + name + "'@'%'");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ". " + describe(), e);
        }
        return new Database(name, "jdbc:mysql://" + ItSettings.HOST + ":" + port + "/" + name, name, password);
    }

    /** A connection as the server's root user (no password, from 127.0.0.1 only). */
    public Connection rootConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + ItSettings.HOST + ":" + port + "/", "root", "");
    }

    /** Port, state, folder and the tail of the server's error log, for assertion messages. */
    public String describe() {
        return "MariaDB on port " + port + " (pid " + process.pid() + ", "
                + (process.isAlive() ? "running" : "exited with " + process.exitValue()) + ", folder " + baseDir
                + ")\n--- last lines of its error log ---\n" + ProcessRunner.tail(errorLog(baseDir), 30);
    }

    /** Shuts the server down (SHUTDOWN, then signals), keeps a copy of its error log and deletes its folder. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try (Connection c = rootConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                // not answering: the signals below stop it
            }
        }
        stopProcess();
        try {
            Path kept = ItSettings.workDir().resolve("mariadb-" + port + "-" + Ids.suffix() + ".log");
            Files.createDirectories(kept.getParent());
            if (Files.exists(errorLog(baseDir))) {
                Files.copy(errorLog(baseDir), kept);
            }
        } catch (IOException e) {
            // diagnosis only
        }
        deleteTree(baseDir);
        removeHook();
    }

    private boolean awaitReady() {
        long deadline = System.nanoTime() + READY.toNanos();
        SQLException last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                String log = ProcessRunner.read(errorLog(baseDir));
                if (log.contains("Address already in use") || log.contains("Do you already have another")) {
                    return false;
                }
                throw new IllegalStateException("MariaDB exited before it accepted connections. " + describe());
            }
            try (Connection c = rootConnection()) {
                return c.isValid(5);
            } catch (SQLException e) {
                last = e;
            }
            Await.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("MariaDB did not accept connections within " + READY.toSeconds() + " s (last: "
                + last + "). " + describe());
    }

    private static Path initialiseDataFolder(Path installer) {
        try {
            // Under /tmp: the socket path must stay short (108 bytes on Linux).
            Path baseDir = Files.createTempDirectory("it-mariadb-");
            List<String> command = new ArrayList<>(List.of(installer.toString(), "--no-defaults",
                    "--datadir=" + baseDir.resolve("data"), "--auth-root-authentication-method=normal",
                    "--skip-test-db"));
            command.addAll(runAsCurrentUser());
            ProcessRunner.Result result = ProcessRunner.run(command, baseDir, baseDir, "install-db",
                    Duration.ofSeconds(120));
            if (!result.succeeded()) {
                deleteTree(baseDir);
                throw new IllegalStateException("Cannot initialise a MariaDB data folder.\n" + result.describe());
            }
            return baseDir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for MariaDB", e);
        }
    }

    private static Process launch(Path server, Path baseDir, int port) {
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                "--datadir=" + baseDir.resolve("data"), "--port=" + port, "--bind-address=" + ItSettings.HOST,
                "--socket=" + baseDir.resolve("mysqld.sock"), "--pid-file=" + baseDir.resolve("mysqld.pid"),
                "--log-error=" + errorLog(baseDir), "--tmpdir=" + baseDir, "--skip-name-resolve",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=64M"));
        command.addAll(runAsCurrentUser());
        try {
            Files.deleteIfExists(errorLog(baseDir));
            return new ProcessBuilder(command)
                    .directory(baseDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(baseDir.resolve("mariadbd.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + server, e);
        }
    }

    /** mariadbd refuses to run as root unless told to. */
    private static List<String> runAsCurrentUser() {
        return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
    }

    private static Path errorLog(Path baseDir) {
        return baseDir.resolve("error.log");
    }

    private static Path firstExisting(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "MariaDB is not installed (none of " + candidates + " exists). The MySQL/MariaDB integration tests "
                        + "start a private MariaDB server from the Debian package: apt-get install mariadb-server "
                        + "(.ci/run does; stop the system service it starts, the tests do not use it)"));
    }

    private void stopProcess() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary folder
        }
    }
}
