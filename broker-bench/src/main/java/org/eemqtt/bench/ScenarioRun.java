package org.eemqtt.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Runs one scenario (fan-in, fan-out or point-to-point) once and returns its figures. */
final class ScenarioRun {

    private final Options o;
    private final Options.Scenario scenario;
    private final int n;
    private final int qos;
    private final boolean mqtt5;
    private final long pid;
    private final InetSocketAddress remote;
    /** Where the subscribers connect: the same broker, or another node of its cluster (--sub-port). */
    private final InetSocketAddress subscriberRemote;
    private final String runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final Window window = new Window();
    private final Map<Thread, Histogram> histograms = new ConcurrentHashMap<>();

    ScenarioRun(Options o) {
        this.o = o;
        this.scenario = o.scenario();
        this.n = Math.max(1, o.integer("clients"));
        this.qos = o.qos();
        this.mqtt5 = o.mqtt5();
        this.pid = o.integer("broker-pid");
        this.remote = new InetSocketAddress(o.str("host"), o.integer("port"));
        this.subscriberRemote = o.integer("sub-port") == 0 ? remote
                : new InetSocketAddress(o.str("host"), o.integer("sub-port"));
    }

    RunResult run() throws Exception {
        int pubs = scenario == Options.Scenario.FAN_OUT ? 1 : n;
        int subs = scenario == Options.Scenario.FAN_IN ? 1 : n;
        int receivers = scenario == Options.Scenario.FAN_OUT ? n : 1;
        String base = "bench/" + runId;
        double perPublisherRate = o.number("rate") / pubs;
        Publisher[] publishers = new Publisher[pubs];
        for (int i = 0; i < pubs; i++) {
            publishers[i] = new Publisher(i, pubTopic(base, i), qos, o.integer("payload"), o.integer("window"),
                    o.integer("e2e-window"), receivers, perPublisherRate, window);
        }
        try (Transport t = new Transport(o.integer("threads"))) {
            List<BenchConnection> subConns = new ArrayList<>();
            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < subs; i++) {
                Subscriber s = new Subscriber(publishers, window, histograms);
                BenchConnection c = open(t, subscriberRemote, "bb-" + runId + "-s" + i);
                c.receiver(s);
                subscribers.add(s);
                subConns.add(c);
            }
            awaitConnAcks(subConns);
            for (int i = 0; i < subs; i++) {
                String filter = scenario == Options.Scenario.FAN_IN ? base + "/in/+" : pubTopic(base, i);
                subConns.get(i).context().channel().writeAndFlush(MqttMessageBuilders.subscribe()
                        .messageId(1).addSubscription(MqttQoS.valueOf(qos), filter).build());
            }
            for (BenchConnection c : subConns) {
                int code = c.subAck.get(30, TimeUnit.SECONDS);
                if (code > 2) {
                    throw new IllegalStateException("SUBSCRIBE refused, reason code " + code);
                }
            }
            List<BenchConnection> pubConns = new ArrayList<>();
            for (int i = 0; i < pubs; i++) {
                BenchConnection c = open(t, remote, "bb-" + runId + "-p" + i);
                c.sender(publishers[i]);
                pubConns.add(c);
            }
            awaitConnAcks(pubConns);

            for (int i = 0; i < pubs; i++) {
                publishers[i].start(pubConns.get(i).context().channel());
            }
            sleepSeconds(o.number("warmup"));
            double[] brokerCpu0 = ProcStats.cpuSecondsSplit(pid);
            double genCpu0 = ProcStats.selfCpuSeconds();
            window.start = System.nanoTime();
            sleepSeconds(o.number("duration"));
            window.end = System.nanoTime();
            double[] brokerCpu1 = ProcStats.cpuSecondsSplit(pid);
            double genCpu1 = ProcStats.selfCpuSeconds();
            long rss = pid > 0 ? ProcStats.rssKb(pid) : -1;
            for (Publisher p : publishers) {
                p.stop();
            }
            long[] pubTotals = new long[3];
            for (Publisher p : publishers) {
                long[] c = onLoop(p.channel(), p::counts);
                for (int k = 0; k < 3; k++) {
                    pubTotals[k] += c[k];
                }
            }
            long expected = pubTotals[0] * receivers;
            drain(subConns, subscribers, expected);
            long received = 0;
            long distinct = 0;
            long foreign = 0;
            long deliveredInWindow = 0;
            for (int i = 0; i < subs; i++) {
                Subscriber s = subscribers.get(i);
                long[] c = onLoop(subConns.get(i).context().channel(), () -> new long[] {
                    s.tracker().received(), s.tracker().distinct(), s.tracker().foreignCount(), s.inWindow()});
                received += c[0];
                distinct += c[1];
                foreign += c[2];
                deliveredInWindow += c[3];
            }
            long heap = pid > 0 ? ProcStats.jvmHeapUsedKb(pid) : -1;
            for (BenchConnection c : subConns) {
                c.disconnect();
            }
            for (BenchConnection c : pubConns) {
                c.disconnect();
            }
            CompletableFuture.allOf(subConns.stream().map(c -> c.closed).toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).get(5, TimeUnit.SECONDS);
            Histogram lat = new Histogram(Subscriber.MAX_LATENCY_MICROS, 3);
            histograms.values().forEach(lat::add);
            double seconds = (window.end - window.start) / 1e9;
            double brokerUser = brokerCpu1[0] - brokerCpu0[0];
            double brokerSys = brokerCpu1[1] - brokerCpu0[1];
            double brokerCpu = brokerUser + brokerSys;
            RunResult r = new RunResult()
                    .put("label", o.str("label")).put("time", Instant.now().toString())
                    .put("broker", remote.getHostString() + ":" + remote.getPort())
                    .put("mqtt", mqtt5 ? "5" : "3.1.1").put("scenario", scenario.label()).put("qos", qos)
                    .put("clients", n).put("payload", o.integer("payload")).put("rate", o.number("rate"))
                    .put("window", o.integer("window")).put("e2e_window", o.integer("e2e-window"))
                    .put("threads", o.integer("threads")).put("transport", t.epoll() ? "epoll" : "nio")
                    .put("duration_s", seconds)
                    .put("published", pubTotals[0]).put("published_window", pubTotals[1])
                    .put("pub_rate", pubTotals[1] / seconds)
                    .put("delivered_window", deliveredInWindow).put("del_rate", deliveredInWindow / seconds)
                    .put("expected", expected).put("received", received).put("distinct", distinct)
                    .put("lost", Math.max(0, expected - distinct)).put("dup", received - distinct)
                    .put("foreign", foreign).put("e2e_forgiven", pubTotals[2])
                    .put("p50_us", lat.getValueAtPercentile(50)).put("p99_us", lat.getValueAtPercentile(99))
                    .put("p999_us", lat.getValueAtPercentile(99.9)).put("max_us", lat.getMaxValue())
                    .put("lat_samples", lat.getTotalCount())
                    .put("broker_pid", pid).put("cpu_s", brokerCpu).put("cpu_user_s", brokerUser).put("cpu_sys_s", brokerSys)
                    .put("cpu_s_per_m", deliveredInWindow > 0 ? brokerCpu / (deliveredInWindow / 1e6) : Double.NaN)
                    .put("rss_kb", rss).put("heap_used_kb", heap)
                    .put("gen_cpu_s", genCpu1 - genCpu0);
            return r;
        }
    }

    private String pubTopic(String base, int i) {
        return switch (scenario) {
            case FAN_IN -> base + "/in/" + i;
            case FAN_OUT -> base + "/out";
            case P2P -> base + "/p2p/" + i;
        };
    }

    private BenchConnection open(Transport t, InetSocketAddress to, String clientId) {
        BenchConnection c = new BenchConnection(Transport.connectMessage(clientId, mqtt5, o.str("user"),
                o.str("password"), o.integer("keepalive")));
        t.connect(to, null, () -> c).addListener(f -> {
            if (!f.isSuccess()) {
                c.connAck.completeExceptionally(f.cause());
            }
        });
        return c;
    }

    static void awaitConnAcks(List<BenchConnection> conns) throws Exception {
        for (BenchConnection c : conns) {
            int code = c.connAck.get(30, TimeUnit.SECONDS);
            if (code != 0) {
                throw new IllegalStateException("CONNECT refused, return/reason code " + code
                        + " (check --user/--password)");
            }
        }
    }

    /** Waits (bounded by --drain) until every expected delivery arrived or nothing arrives for 1.5 s. */
    private void drain(List<BenchConnection> conns, List<Subscriber> subscribers, long expected) throws Exception {
        long deadline = System.nanoTime() + (long) (o.number("drain") * 1e9);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long distinct = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                Subscriber s = subscribers.get(i);
                distinct += onLoop(conns.get(i).context().channel(), () -> s.tracker().distinct());
            }
            if (distinct >= expected) {
                return;
            }
            if (distinct != last) {
                last = distinct;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 1_500_000_000L) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static <T> T onLoop(Channel ch, java.util.concurrent.Callable<T> task) throws Exception {
        return ch.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    static void sleepSeconds(double s) throws InterruptedException {
        if (s > 0) {
            Thread.sleep((long) (s * 1000));
        }
    }
}
