package org.eemqtt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The standard matrix: starts our broker and Mosquitto once each, then per scenario alternates runs
 * (ours, mosquitto, ours, mosquitto, ...) and reports median ratios; plus open-loop latency at half of
 * Mosquitto's measured peak, idle connections and our ready-to-serve time. Results go to one JSON line per run
 * ({@code results.jsonl}) and a Markdown summary ({@code summary.md}) in a fresh folder under --out.
 */
final class Matrix {

    record Spec(String key, Options.Scenario scenario, int qos) {
    }

    static final List<Spec> THROUGHPUT = List.of(
            new Spec("q0-fan-in", Options.Scenario.FAN_IN, 0),
            new Spec("q0-fan-out", Options.Scenario.FAN_OUT, 0),
            new Spec("q0-p2p", Options.Scenario.P2P, 0),
            new Spec("q1-fan-in", Options.Scenario.FAN_IN, 1),
            new Spec("q1-fan-out", Options.Scenario.FAN_OUT, 1),
            new Spec("q1-p2p", Options.Scenario.P2P, 1));
    static final String LATENCY = "latency";
    static final String IDLE = "idle";

    private final Options o;
    private final List<String> only;
    private final List<RunResult> results = new ArrayList<>();
    private final List<Double> startups = new ArrayList<>();
    private Path out;

    Matrix(Options o) {
        this.o = o;
        this.only = o.list("only");
    }

    private boolean wanted(String key) {
        return only.isEmpty() || only.contains(key);
    }

    int run() throws Exception {
        Path jar = Path.of(o.str("ours-jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("Our broker's uber-jar is missing: " + jar.toAbsolutePath()
                    + "\nBuild it at the project root with: mvn -B -q -DskipTests package");
            return 3;
        }
        if (!onPath("mosquitto") || !onPath("mosquitto_passwd")) {
            System.err.println("Mosquitto is not installed. Install it with: sudo apt-get install -y mosquitto"
                    + "\n(the matrix starts its own instance on --mosquitto-port; the system service may stay off)");
            return 3;
        }
        int oursPort = o.integer("ours-port");
        int httpPort = o.integer("ours-http-port");
        int mosqPort = o.integer("mosquitto-port");
        for (int p : new int[] {oursPort, httpPort, mosqPort, oursPort + 2, httpPort + 2}) {
            if (!portFree(p)) {
                System.err.println("Port " + p + " is in use (see ss -ltn); choose others with --ours-port, "
                        + "--ours-http-port, --mosquitto-port (the startup runs use ours+2 and http+2).");
                return 3;
            }
        }
        out = Path.of(o.str("out"), LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(out);
        String user = o.str("user");
        String password = o.str("password");
        log("results in " + out.toAbsolutePath());
        log(MatrixReport.machine(o));

        for (int i = 0; i < o.integer("startups"); i++) {
            try (BrokerProcess b = BrokerProcess.startOurs(jar, oursPort + 2, httpPort + 2, o.str("ours-jvm"),
                    out.resolve("startup-" + (i + 1)))) {
                boolean ok = b.awaitReady(user, password, 180);
                startups.add(ok ? b.readySeconds() : Double.NaN);
                log(String.format(Locale.ROOT, "startup %d: %s", i + 1,
                        ok ? String.format(Locale.ROOT, "ready (first CONNACK) %.2f s after start", b.readySeconds())
                                : "NOT ready within 180 s\n" + b.logTail(30)));
            }
        }

        try (BrokerProcess ours = BrokerProcess.startOurs(jar, oursPort, httpPort, o.str("ours-jvm"),
                out.resolve("ours"));
             BrokerProcess mosq = BrokerProcess.startMosquitto(mosqPort, user, password, out.resolve("mosquitto"))) {
            if (!mosq.awaitReady(user, password, 30)) {
                System.err.println("Mosquitto did not become ready:\n" + mosq.logTail(30));
                return 1;
            }
            if (!ours.awaitReady(user, password, 240)) {
                System.err.println("Our broker did not become ready:\n" + ours.logTail(40));
                return 1;
            }
            log(String.format(Locale.ROOT, "ours pid %d ready after %.2f s; mosquitto pid %d (%s)", ours.pid(),
                    ours.readySeconds(), mosq.pid(), MatrixReport.mosquittoVersion()));
            int pairs = Math.max(1, o.integer("pairs"));
            for (Spec s : THROUGHPUT) {
                if (!wanted(s.key())) {
                    continue;
                }
                Options so = o.with("scenario", s.scenario().label()).with("qos", s.qos()).with("rate", 0);
                for (int pair = 1; pair <= pairs; pair++) {
                    runOne(so, ours, s.key(), pair);
                    runOne(so, mosq, s.key(), pair);
                }
            }
            if (wanted(LATENCY)) {
                double peak = MatrixReport.median(results, "q1-p2p", "mosquitto", "del_rate");
                if (Double.isNaN(peak)) {
                    Options po = o.with("scenario", "p2p").with("qos", 1).with("rate", 0);
                    RunResult r = runOne(po, mosq, "peak", 1);
                    peak = r == null ? Double.NaN : r.num("del_rate");
                }
                if (!Double.isNaN(peak) && peak > 0) {
                    long rate = Math.round(peak / 2);
                    log("latency: open loop p2p QoS 1 at " + rate + " msg/s (half of Mosquitto's peak " +
                            Math.round(peak) + ")");
                    Options lo = o.with("scenario", "p2p").with("qos", 1).with("rate", rate);
                    for (int pair = 1; pair <= pairs; pair++) {
                        runOne(lo, ours, LATENCY, pair);
                        runOne(lo, mosq, LATENCY, pair);
                    }
                }
            }
            int idle = o.integer("idle-connections");
            if (idle > 0 && wanted(IDLE)) {
                Options io = o.with("connections", idle).with("duration", o.str("idle-duration"))
                        .with("keepalive", 10);
                runIdle(io, ours);
                runIdle(io, mosq);
            }
            if (!ours.alive()) {
                log("WARNING: our broker process ended during the matrix:\n" + ours.logTail(40));
            }
        }
        String summary = MatrixReport.render(o, results, startups);
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println();
        System.out.println(summary);
        return 0;
    }

    private RunResult runOne(Options so, BrokerProcess b, String key, int pair) {
        Options ro = so.with("port", b.port).with("broker-pid", b.pid()).with("label", b.name);
        try {
            if (!b.alive()) {
                throw new IllegalStateException(b.name + " is not running");
            }
            RunResult r = new ScenarioRun(ro).run();
            r.put("key", key).put("pair", pair);
            record(r);
            TimeUnit.MILLISECONDS.sleep(500);
            return r;
        } catch (Exception e) {
            log("run " + key + " #" + pair + " on " + b.name + " failed: " + e);
            record(new RunResult().put("label", b.name).put("key", key).put("pair", pair)
                    .put("error", String.valueOf(e)));
            return null;
        }
    }

    private void runIdle(Options io, BrokerProcess b) {
        Options ro = io.with("port", b.port).with("broker-pid", b.pid()).with("label", b.name);
        try {
            RunResult r = new IdleRun(ro).run();
            r.put("key", IDLE).put("pair", 1);
            record(r);
        } catch (Exception e) {
            log("idle on " + b.name + " failed: " + e);
        }
    }

    private void record(RunResult r) {
        results.add(r);
        if (!r.fields().containsKey("error")) {
            System.out.print(r.human());
        }
        String line = RunResult.PREFIX + r.json();
        System.out.println(line);
        try {
            Files.writeString(out.resolve("results.jsonl"), r.json() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write results.jsonl: " + e);
        }
    }

    private void log(String s) {
        System.out.println("[matrix " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME) + "] " + s);
        if (out != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("matrix.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
                w.println(s);
            } catch (IOException e) {
                // the console has it
            }
        }
    }

    static boolean onPath(String command) {
        return which(command) != null;
    }

    /** The executable's path from PATH (plus /usr/sbin and /usr/bin, where Debian puts Mosquitto), or null. */
    static String which(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return null;
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
