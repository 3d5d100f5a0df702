package org.eemqtt.bench;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle connections: N clients that CONNECT and then only send PINGREQ every keep-alive, held for --duration
 * seconds. Source addresses are spread over 127.0.0.2, 127.0.0.3, ... so that more connections fit than one
 * address's ephemeral ports (about 28,000).
 */
final class IdleRun {

    static final int PER_SOURCE_ADDRESS = 20_000;

    private final Options o;
    private final AtomicLong connacked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong closedAfterConnAck = new AtomicLong();
    private final AtomicLong pingReq = new AtomicLong();
    private final AtomicLong pingResp = new AtomicLong();
    private final java.util.Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean holding;

    IdleRun(Options o) {
        this.o = o;
    }

    /** How many source addresses N connections need (or the given count when positive). */
    static int sourceAddresses(int connections, int given) {
        return given > 0 ? given : Math.max(1, (connections + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS);
    }

    static String sourceAddress(int index, int addresses) {
        return "127.0.0." + (2 + index % addresses);
    }

    RunResult run() throws Exception {
        int total = o.integer("connections");
        int addresses = sourceAddresses(total, o.integer("source-addresses"));
        int keepAlive = o.integer("keepalive");
        long pid = o.integer("broker-pid");
        InetSocketAddress remote = new InetSocketAddress(o.str("host"), o.integer("port"));
        boolean mqtt5 = o.mqtt5();
        String runId = Long.toString(System.nanoTime() & 0xffffffffL, 36);
        Semaphore inProgress = new Semaphore(Math.max(1, o.integer("connect-parallel")));
        List<BenchConnection> conns = new ArrayList<>(total);
        try (Transport t = new Transport(o.integer("threads"))) {
            double cpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : Double.NaN;
            double genCpu0 = ProcStats.selfCpuSeconds();
            long t0 = System.nanoTime();
            long connectDeadline = t0 + TimeUnit.SECONDS.toNanos(600);
            for (int i = 0; i < total && System.nanoTime() < connectDeadline; i++) {
                if (!inProgress.tryAcquire(30, TimeUnit.SECONDS)) {
                    break;
                }
                BenchConnection c = new BenchConnection(Transport.connectMessage("bi-" + runId + "-" + i, mqtt5,
                        o.str("user"), o.str("password"), keepAlive));
                conns.add(c);
                InetSocketAddress local = new InetSocketAddress(sourceAddress(i, addresses), 0);
                t.connect(remote, local, () -> c).addListener(f -> {
                    if (!f.isSuccess()) {
                        c.connAck.completeExceptionally(f.cause());
                    }
                });
                c.connAck.whenComplete((code, err) -> {
                    inProgress.release();
                    if (err == null && code == 0) {
                        connacked.incrementAndGet();
                        c.startPings(keepAlive, pingReq::incrementAndGet, pingResp::incrementAndGet);
                        c.closed.thenRun(() -> {
                            if (holding) {
                                closedAfterConnAck.incrementAndGet();
                            }
                        });
                    } else {
                        failed.incrementAndGet();
                        String why = err != null ? rootCause(err) : "CONNACK code " + code;
                        failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
            holding = true;
            // wait for the stragglers' CONNACKs (bounded)
            inProgress.tryAcquire(Math.max(1, o.integer("connect-parallel")), 60, TimeUnit.SECONDS);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("idle: %d of %d connections CONNACKed in %.1f s (%d failed%s); holding %s s%n",
                    connacked.get(), total, connectSeconds, failed.get(),
                    failures.isEmpty() ? "" : ": " + failures, o.str("duration"));
            double holdCpu0 = pid > 0 ? ProcStats.cpuSeconds(pid) : Double.NaN;
            double holdGenCpu0 = ProcStats.selfCpuSeconds();
            long hold0 = System.nanoTime();
            long holdEnd = hold0 + (long) (o.number("duration") * 1e9);
            while (System.nanoTime() < holdEnd) {
                Thread.sleep(Math.min(10_000, Math.max(1, (holdEnd - System.nanoTime()) / 1_000_000)));
                System.out.printf("idle: %.0f s, open %d, PINGREQ %d, PINGRESP %d%n",
                        (System.nanoTime() - hold0) / 1e9, connacked.get() - closedAfterConnAck.get(),
                        pingReq.get(), pingResp.get());
            }
            for (BenchConnection c : conns) {
                if (c.context() != null) {
                    c.stopPings();
                }
            }
            double held = (System.nanoTime() - hold0) / 1e9;
            double cpu1 = pid > 0 ? ProcStats.cpuSeconds(pid) : Double.NaN;
            double genCpu1 = ProcStats.selfCpuSeconds();
            long rss = pid > 0 ? ProcStats.rssKb(pid) : -1;
            Thread.sleep(2000); // answers to the last PINGREQs
            long req = pingReq.get();
            long resp = pingResp.get();
            long heap = pid > 0 ? ProcStats.jvmHeapUsedKb(pid) : -1;
            holding = false;
            for (BenchConnection c : conns) {
                if (c.context() != null) {
                    c.disconnect();
                }
            }
            return new RunResult().put("label", o.str("label")).put("time", Instant.now().toString())
                    .put("broker", remote.getHostString() + ":" + remote.getPort())
                    .put("mqtt", mqtt5 ? "5" : "3.1.1").put("connections", total)
                    .put("source_addresses", addresses).put("keepalive", keepAlive)
                    .put("connacked", connacked.get()).put("failed", failed.get())
                    .put("failures", failures.toString())
                    .put("closed", closedAfterConnAck.get()).put("connect_s", connectSeconds)
                    .put("duration_s", held).put("pingreq", req).put("pingresp", resp)
                    .put("broker_pid", pid).put("cpu_s", cpu1 - cpu0).put("cpu_hold_s", cpu1 - holdCpu0)
                    .put("gen_cpu_hold_s", genCpu1 - holdGenCpu0).put("cpu_s_per_m", Double.NaN)
                    .put("rss_kb", rss).put("heap_used_kb", heap).put("gen_cpu_s", ProcStats.selfCpuSeconds() - genCpu0);
        }
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
