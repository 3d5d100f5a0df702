package org.eemqtt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Medians, ratios and the Markdown summary of a matrix run. */
final class MatrixReport {

    private MatrixReport() {
    }

    static double median(Collection<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) {
            if (d != null && !d.isNaN()) {
                v.add(d);
            }
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        v.sort(Double::compare);
        int m = v.size() / 2;
        return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
    }

    static List<Double> values(List<RunResult> results, String key, String label, String field) {
        List<Double> out = new ArrayList<>();
        for (RunResult r : results) {
            if (r.str("key").equals(key) && r.str("label").equals(label) && !r.fields().containsKey("error")) {
                out.add(r.num(field));
            }
        }
        return out;
    }

    static double median(List<RunResult> results, String key, String label, String field) {
        return median(values(results, key, label, field));
    }

    /** Median over pairs of ours/mosquitto for one field (pairs matched by their number). */
    static double medianRatio(List<RunResult> results, String key, String field) {
        List<Double> ratios = new ArrayList<>();
        for (RunResult a : results) {
            if (!a.str("key").equals(key) || !a.str("label").equals("ours") || a.fields().containsKey("error")) {
                continue;
            }
            for (RunResult b : results) {
                if (b.str("key").equals(key) && b.str("label").equals("mosquitto")
                        && b.num("pair") == a.num("pair") && !b.fields().containsKey("error")) {
                    double den = b.num(field);
                    if (den > 0) {
                        ratios.add(a.num(field) / den);
                    }
                }
            }
        }
        return median(ratios);
    }

    static String render(Options o, List<RunResult> results, List<Double> startups) {
        StringBuilder b = new StringBuilder();
        b.append("## Matrix results (").append(ZonedDateTime.now().withNano(0)).append(")\n\n");
        b.append(machine(o)).append("\n\n");
        b.append("| scenario | ours msg/s | mosquitto msg/s | **throughput ratio** (target ≥ 1.0) "
                + "| ours CPU s/M | mosquitto CPU s/M | **CPU/M ratio** (target ≤ 1.5) "
                + "| ours p99 µs | mosq p99 µs | lost/dup ours | lost/dup mosq | ours RSS MB | ours heap MB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Matrix.Spec s : Matrix.THROUGHPUT) {
            String k = s.key();
            if (values(results, k, "ours", "del_rate").isEmpty()) {
                continue;
            }
            double tr = medianRatio(results, k, "del_rate");
            double cr = medianRatio(results, k, "cpu_s_per_m");
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | **%.2f** %s | %.2f | %.2f | **%.2f** %s "
                            + "| %.0f | %.0f | %.0f/%.0f | %.0f/%.0f | %.0f | %.0f |%n",
                    k, median(results, k, "ours", "del_rate"), median(results, k, "mosquitto", "del_rate"),
                    tr, mark(tr >= 1.0), median(results, k, "ours", "cpu_s_per_m"),
                    median(results, k, "mosquitto", "cpu_s_per_m"), cr, mark(cr <= 1.5),
                    median(results, k, "ours", "p99_us"), median(results, k, "mosquitto", "p99_us"),
                    sum(results, k, "ours", "lost"), sum(results, k, "ours", "dup"),
                    sum(results, k, "mosquitto", "lost"), sum(results, k, "mosquitto", "dup"),
                    median(results, k, "ours", "rss_kb") / 1024, median(results, k, "ours", "heap_used_kb") / 1024));
        }
        b.append("\nMedians over ").append(o.str("pairs")).append(" alternating pairs; ratios are medians of "
                + "the per-pair ratios ours/mosquitto. CPU s/M = broker CPU seconds per million delivered.\n");
        if (!values(results, Matrix.LATENCY, "ours", "p99_us").isEmpty()) {
            double pr = medianRatio(results, Matrix.LATENCY, "p99_us");
            b.append(String.format(Locale.ROOT, "%n### Latency (open loop p2p QoS 1, %s msg/s = half of Mosquitto's "
                            + "peak)%n%n| | p50 µs | p99 µs | p99.9 µs | delivered msg/s | CPU s/M |%n"
                            + "|---|---|---|---|---|---|%n",
                    str(results, Matrix.LATENCY, "rate")));
            for (String label : List.of("ours", "mosquitto")) {
                b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.2f |%n", label,
                        median(results, Matrix.LATENCY, label, "p50_us"),
                        median(results, Matrix.LATENCY, label, "p99_us"),
                        median(results, Matrix.LATENCY, label, "p999_us"),
                        median(results, Matrix.LATENCY, label, "del_rate"),
                        median(results, Matrix.LATENCY, label, "cpu_s_per_m")));
            }
            b.append(String.format(Locale.ROOT, "%n**p99 ratio ours/mosquitto: %.2f** %s (target ≤ 1.5)%n", pr,
                    mark(pr <= 1.5)));
        }
        if (!startups.isEmpty()) {
            double m = median(startups);
            b.append(String.format(Locale.ROOT, "%n### Ready to serve (process start → first CONNACK)%n%n"
                    + "Starts: %s s; **median %.2f s** %s (target ≤ 12 s)%n", fmt(startups), m, mark(m <= 12)));
        }
        for (RunResult r : results) {
            if (r.str("key").equals(Matrix.IDLE)) {
                b.append(String.format(Locale.ROOT, "%n### Idle %s: %.0f/%.0f CONNACKed, %.0f closed, PINGREQ %.0f, "
                                + "PINGRESP %.0f over %.0f s (keep-alive %.0f s); broker CPU %.2f s (%.2f s while holding), RSS %.0f MB%s%n",
                        r.str("label"), r.num("connacked"), r.num("connections"), r.num("closed"), r.num("pingreq"),
                        r.num("pingresp"), r.num("duration_s"), r.num("keepalive"), r.num("cpu_s"), r.num("cpu_hold_s"),
                        r.num("rss_kb") / 1024, r.num("heap_used_kb") >= 0
                                ? String.format(Locale.ROOT, ", heap used %.0f MB", r.num("heap_used_kb") / 1024) : ""));
            }
        }
        long errors = results.stream().filter(r -> r.fields().containsKey("error")).count();
        if (errors > 0) {
            b.append("\n").append(errors).append(" run(s) failed; see matrix.log and results.jsonl.\n");
        }
        return b.toString();
    }

    private static String mark(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String fmt(List<Double> v) {
        List<String> s = new ArrayList<>();
        v.forEach(d -> s.add(String.format(Locale.ROOT, "%.2f", d)));
        return String.join(", ", s);
    }

    private static double sum(List<RunResult> results, String key, String label, String field) {
        return values(results, key, label, field).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String str(List<RunResult> results, String key, String field) {
        return results.stream().filter(r -> r.str("key").equals(key)).map(r -> r.str(field)).findFirst().orElse("?");
    }

    static String machine(Options o) {
        String cpu = grep(Path.of("/proc/cpuinfo"), "(?m)^model name\\s*:\\s*(.+)$");
        String mem = grep(Path.of("/proc/meminfo"), "(?m)^MemTotal:\\s*(\\d+) kB");
        return String.format(Locale.ROOT, "Machine: %d CPUs (nproc), %s, MemTotal %s; Java %s; generator: %s "
                        + "event-loop threads, MQTT %s, %s clients, payload %s B, %s s measured after %s s warm-up, "
                        + "QoS 1 window %s, e2e window %s; our broker's JVM flags: %s; %s",
                Runtime.getRuntime().availableProcessors(), cpu,
                mem.isEmpty() ? "?" : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem) / 1048576.0),
                System.getProperty("java.version"), o.str("threads"), o.str("mqtt"), o.str("clients"),
                o.str("payload"), o.str("duration"), o.str("warmup"), o.str("window"), o.str("e2e-window"),
                o.str("ours-jvm"), mosquittoVersion());
    }

    private static String grep(Path file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
            return m.find() ? m.group(1).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String mosquittoVersion() {
        String exe = Matrix.which("mosquitto");
        if (exe == null) {
            return "mosquitto not installed";
        }
        try {
            Process p = new ProcessBuilder(exe, "-h").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("mosquitto version (\\S+)").matcher(out);
            return m.find() ? "Mosquitto " + m.group(1) : "Mosquitto (version unknown)";
        } catch (IOException e) {
            return "mosquitto: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "mosquitto: interrupted";
        }
    }
}
