package org.eemqtt.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of every sub-command, parsed by hand ({@code --name value} or {@code --name=value}).
 * Unknown names are an error, so a typo never silently runs the default.
 */
final class Options {

    enum Scenario { FAN_IN, FAN_OUT, P2P;
        static Scenario parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "fan-in", "fanin" -> FAN_IN;
                case "fan-out", "fanout" -> FAN_OUT;
                case "p2p", "point-to-point" -> P2P;
                default -> throw new IllegalArgumentException("scenario must be fan-in, fan-out or p2p: " + s);
            };
        }
        String label() {
            return switch (this) { case FAN_IN -> "fan-in"; case FAN_OUT -> "fan-out"; case P2P -> "p2p"; };
        }
    }

    /** Names accepted, with their defaults; the help text is generated from this table. */
    static final Map<String, String[]> SPEC = new LinkedHashMap<>();
    static {
        spec("host", "127.0.0.1", "broker host (loopback only for the matrix)");
        spec("port", "1883", "broker MQTT port");
        spec("sub-port", "0", "MQTT port the subscribers connect to (another node of a cluster); 0 = --port");
        spec("user", "guest", "user name");
        spec("password", "guest", "password");
        spec("mqtt", "3.1.1", "protocol: 3.1.1 or 5");
        spec("scenario", "p2p", "fan-in (N publishers -> 1 wildcard subscriber), fan-out (1 -> N), p2p (N pairs)");
        spec("qos", "1", "QoS of publish and subscription: 0, 1 or 2");
        spec("clients", "10", "N: publishers (fan-in), subscribers (fan-out) or pairs (p2p)");
        spec("payload", "64", "payload bytes (at least " + Payload.HEADER_BYTES + ")");
        spec("rate", "0", "open loop: total msgs/s over all publishers; 0 = closed loop (maximum)");
        spec("window", "100", "closed loop QoS 1/2: PUBLISHes in flight per publisher");
        spec("e2e-window", "1000", "closed loop: messages a publisher may be ahead of each receiver; 0 = off");
        spec("duration", "10", "measured seconds");
        spec("warmup", "3", "warm-up seconds before the measurement");
        spec("drain", "5", "at most this many seconds to wait for in-flight deliveries after publishing stops");
        spec("threads", "2", "event-loop threads of the generator");
        spec("keepalive", "60", "keep-alive seconds (idle: PINGREQ interval)");
        spec("broker-pid", "0", "pid of a local broker: CPU, RSS and (JVM) heap are sampled from /proc and jcmd");
        spec("label", "", "free text copied into the result line (e.g. ours/mosquitto)");
        spec("connections", "5000", "idle: number of connections");
        spec("source-addresses", "0", "idle: loopback source addresses 127.0.0.2..; 0 = one per 20,000 connections");
        spec("connect-parallel", "200", "idle: CONNECTs awaiting CONNACK at most at a time");
        // matrix
        spec("ours-jar", "../broker-ear/target/ee-mqtt-server.jar", "matrix: our uber-jar");
        spec("ours-port", "21883", "matrix: MQTT port of our broker");
        spec("ours-http-port", "28080", "matrix: HTTP port of our broker");
        spec("ours-jvm", "-Xmx1g", "matrix: JVM flags of our broker");
        spec("mosquitto-port", "21884", "matrix: MQTT port of Mosquitto");
        spec("pairs", "5", "matrix: ours/mosquitto pairs per scenario");
        spec("idle-connections", "5000", "matrix: idle connections per broker (0 = skip)");
        spec("idle-duration", "40", "matrix: seconds the idle connections are held");
        spec("startups", "5", "matrix: starts of our broker for the ready-to-serve time (0 = skip)");
        spec("only", "", "matrix: comma list of scenario keys to run (e.g. q0-fan-in,latency)");
        spec("out", "target/bench-results", "matrix: folder of the result files");
    }

    private static void spec(String name, String def, String help) {
        SPEC.put(name, new String[] {def, help});
    }

    private final Map<String, String> values = new LinkedHashMap<>();

    static Options parse(List<String> args) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got: " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!SPEC.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            o.values.put(name, value);
        }
        return o;
    }

    Options with(String name, Object value) {
        if (!SPEC.containsKey(name)) {
            throw new IllegalArgumentException("unknown option --" + name);
        }
        Options copy = new Options();
        copy.values.putAll(values);
        copy.values.put(name, String.valueOf(value));
        return copy;
    }

    String str(String name) {
        String v = values.get(name);
        return v != null ? v : SPEC.get(name)[0];
    }

    int integer(String name) {
        return Integer.parseInt(str(name).trim());
    }

    double number(String name) {
        return Double.parseDouble(str(name).trim());
    }

    Scenario scenario() {
        return Scenario.parse(str("scenario"));
    }

    boolean mqtt5() {
        String v = str("mqtt");
        if (v.equals("5") || v.equals("5.0")) {
            return true;
        }
        if (v.equals("3.1.1") || v.equals("4")) {
            return false;
        }
        throw new IllegalArgumentException("--mqtt must be 3.1.1 or 5: " + v);
    }

    int qos() {
        int q = integer("qos");
        if (q < 0 || q > 2) {
            throw new IllegalArgumentException("--qos must be 0, 1 or 2");
        }
        return q;
    }

    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String s : str(name).split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("usage: java -jar broker-bench.jar <run|idle|matrix> [--option value ...]\n");
        b.append("  run     one scenario against --host/--port\n");
        b.append("  idle    --connections idle connections that only PINGREQ at --keepalive, for --duration s\n");
        b.append("  matrix  our broker vs Mosquitto, alternating --pairs pairs per scenario (see BENCHMARKS.md)\n");
        b.append("options:\n");
        SPEC.forEach((k, v) -> b.append(String.format("  --%-18s %s (default: %s)%n", k, v[1], v[0])));
        return b.toString();
    }
}
