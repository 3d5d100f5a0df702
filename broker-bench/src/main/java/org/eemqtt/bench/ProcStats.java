package org.eemqtt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resource figures of a local process, read from /proc (Linux) and, for a JVM, from {@code jcmd}. */
final class ProcStats {

    /** USER_HZ of the kernel's /proc/[pid]/stat clock ticks; 100 on every Linux we run on (getconf CLK_TCK). */
    static final double CLK_TCK = 100.0;

    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*\\S.*?heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

    private ProcStats() {
    }

    /** utime + stime ticks from the text of /proc/[pid]/stat (the command name may hold spaces and ')'). */
    static long cpuTicks(String stat) {
        long[] t = cpuTicksSplit(stat);
        return t[0] + t[1];
    }

    /** {utime, stime} ticks (fields 14 and 15; field 3 follows the last ')') from the text of /proc/[pid]/stat. */
    static long[] cpuTicksSplit(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/[pid]/stat line");
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        return new long[] {Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3])};
    }

    /** {user, system} CPU seconds of a process so far; NaNs when it cannot be read. */
    static double[] cpuSecondsSplit(long pid) {
        try {
            long[] t = cpuTicksSplit(Files.readString(Path.of("/proc/" + pid + "/stat")));
            return new double[] {t[0] / CLK_TCK, t[1] / CLK_TCK};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** VmRSS in kB from the text of /proc/[pid]/status, or -1. */
    static long rssKb(String status) {
        Matcher m = VM_RSS.matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Used heap in kB from the output of {@code jcmd <pid> GC.heap_info}, or -1. */
    static long heapUsedKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    /** CPU seconds (user + system) of a process so far; NaN when it cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double selfCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid());
    }

    static long rssKb(long pid) {
        try {
            return rssKb(Files.readString(Path.of("/proc/" + pid + "/status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether the process is a JVM (its executable is named java). */
    static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
    }

    /** Heap used (kB) via jcmd, or -1; costs the target a little CPU, so call it after the measured interval. */
    static long jvmHeapUsedKb(long pid) {
        if (!isJvm(pid)) {
            return -1;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                    Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return heapUsedKb(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
