package org.eemqtt.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one run as an ordered key/value map: printed as a human summary and as one JSON line
 * (prefix {@code RESULT }), and parsed back from that line by the matrix.
 */
final class RunResult {

    static final String PREFIX = "RESULT ";
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");

    private final Map<String, Object> fields = new LinkedHashMap<>();

    RunResult put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    double num(String key) {
        Object v = fields.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    String str(String key) {
        Object v = fields.get(key);
        return v == null ? "" : v.toString();
    }

    Map<String, Object> fields() {
        return fields;
    }

    String json() {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":");
            if (v instanceof Number n) {
                b.append(formatNumber(n));
            } else if (v instanceof Boolean) {
                b.append(v);
            } else {
                b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return b.append('}').toString();
    }

    static String formatNumber(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "null";
            }
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return n.toString();
    }

    /** Parses a line produced by {@link #json()} (flat object, numbers, strings, booleans, null). */
    static RunResult parse(String line) {
        String s = line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : line;
        RunResult r = new RunResult();
        Matcher m = FIELD.matcher(s);
        while (m.find()) {
            if (m.group(3) != null) {
                r.put(m.group(1), m.group(3).replace("\\\"", "\"").replace("\\\\", "\\"));
            } else {
                String raw = m.group(2).trim();
                if (raw.equals("null")) {
                    r.put(m.group(1), Double.NaN);
                } else if (raw.equals("true") || raw.equals("false")) {
                    r.put(m.group(1), Boolean.parseBoolean(raw));
                } else {
                    r.put(m.group(1), Double.parseDouble(raw));
                }
            }
        }
        return r;
    }

    String human() {
        StringBuilder b = new StringBuilder();
        if (fields.containsKey("connections")) {
            b.append(String.format(Locale.ROOT, "idle %s: broker CPU %.2f s in all, %.2f s while holding;"
                    + " generator CPU %.2f s while holding%n", str("label"), num("cpu_s"), num("cpu_hold_s"),
                    num("gen_cpu_hold_s")));
            b.append(String.format(Locale.ROOT,
                    "idle %s: %.0f/%.0f connections CONNACKed (%.0f failed, %.0f closed by the broker) in %.1f s;"
                            + " PINGREQ sent %.0f, PINGRESP %.0f over %.0f s%n",
                    str("label"), num("connacked"), num("connections"), num("failed"), num("closed"),
                    num("connect_s"), num("pingreq"), num("pingresp"), num("duration_s")));
        } else {
            b.append(String.format(Locale.ROOT, "%s %s qos%.0f clients=%.0f payload=%.0f %s%n",
                    str("label"), str("scenario"), num("qos"), num("clients"), num("payload"),
                    num("rate") > 0 ? "open loop " + str("rate") + " msg/s" : "closed loop"));
            b.append(String.format(Locale.ROOT,
                    "  published %.0f msg/s, delivered %.0f msg/s over %.1f s%n",
                    num("pub_rate"), num("del_rate"), num("duration_s")));
            b.append(String.format(Locale.ROOT,
                    "  latency us: p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f (%.0f samples)%n",
                    num("p50_us"), num("p99_us"), num("p999_us"), num("max_us"), num("lat_samples")));
            b.append(String.format(Locale.ROOT,
                    "  expected %.0f, received %.0f, distinct %.0f: lost %.0f, duplicated %.0f%n",
                    num("expected"), num("received"), num("distinct"), num("lost"), num("dup")));
        }
        if (num("broker_pid") > 0) {
            b.append(String.format(Locale.ROOT,
                    "  broker pid %.0f: CPU %.2f s (user %.2f, sys %.2f; %.2f s per million delivered), RSS %.0f MB,"
                            + " heap used %s%n",
                    num("broker_pid"), num("cpu_s"), num("cpu_user_s"), num("cpu_sys_s"), num("cpu_s_per_m"), num("rss_kb") / 1024,
                    num("heap_used_kb") >= 0 ? String.format(Locale.ROOT, "%.0f MB", num("heap_used_kb") / 1024)
                            : "n/a"));
        }
        b.append(String.format(Locale.ROOT, "  generator CPU %.2f s%n", num("gen_cpu_s")));
        return b.toString();
    }
}
