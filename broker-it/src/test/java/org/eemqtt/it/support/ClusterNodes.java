package org.eemqtt.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real brokers started from the uber-jar as one cluster, as server-config/cluster/start-node.sh starts them:
 * {@code mqtt.cluster.enabled=true}, Payara Micro's {@code --clustername}, loopback TCP/IP discovery with a
 * Hazelcast port each, their own MQTT and HTTP ports and data folders. Ready when both accept MQTT and both logged
 * a cluster of two nodes. Ports: the first free ones from {@code -Dit.cluster.mqtt.port} (default 4883), {@code
 * -Dit.cluster.http.port} (11080) and {@code -Dit.cluster.hz.port} (15900), two of each.
 */
public final class ClusterNodes implements AutoCloseable {

    private static final Pattern FORWARDED =
            Pattern.compile("forwarded messages received (\\d+), sent (\\d+)");

    private final List<BrokerProcess> processes = new ArrayList<>();
    private final List<RunningBroker> nodes = new ArrayList<>();
    private final int[] httpPorts = new int[2];

    public static ClusterNodes start(String name) {
        return start(name, Map.of());
    }

    /**
     * Two nodes with {@code settings} added to each (e.g. one shared database: then node 1 starts only once node 0
     * is ready, so that the two do not create the tables at the same moment).
     */
    public static ClusterNodes start(String name, Map<String, String> settings) {
        ClusterNodes cluster = new ClusterNodes();
        try {
            // each port the first free one from its base (ports above 32768 are ephemeral: see FreePorts)
            int[] mqtt = twoFreePorts(Integer.getInteger("it.cluster.mqtt.port", 4883));
            int[] http = twoFreePorts(Integer.getInteger("it.cluster.http.port", 11080));
            int[] hz = twoFreePorts(Integer.getInteger("it.cluster.hz.port", 15900));
            String members = "tcpip:127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1];
            String clusterName = "it-" + name + "-" + Ids.suffix(); // joins nobody else's cluster
            cluster.httpPorts[0] = http[0];
            cluster.httpPorts[1] = http[1];
            for (int n = 0; n < 2; n++) {
                Map<String, String> nodeSettings = new java.util.HashMap<>(settings);
                nodeSettings.putAll(Map.of(
                        "mqtt.cluster.enabled", "true",
                        "mqtt.tcp.port", String.valueOf(mqtt[n]),
                        "mqtt.data.dir", "data/node" + n));
                if (n == 1 && !settings.isEmpty()) {
                    BrokerReadiness.awaitReady(cluster.processes.get(0), ItSettings.HOST, mqtt[0],
                            Duration.ofSeconds(240));
                }
                cluster.processes.add(BrokerProcess.start(name + "-node" + n, nodeSettings, List.of(
                        "--name", "node" + n, "--port", String.valueOf(http[n]),
                        "--clustername", clusterName, "--clustermode", members,
                        "--startport", String.valueOf(hz[n]), "--interfaces", "127.0.0.1", "--nohostaware")));
            }
            for (int n = 0; n < 2; n++) {
                BrokerProcess process = cluster.processes.get(n);
                BrokerReadiness.awaitReady(process, ItSettings.HOST, mqtt[n], Duration.ofSeconds(240));
                cluster.nodes.add(new RunningBroker(ItSettings.HOST, mqtt[n], process));
            }
            for (BrokerProcess process : cluster.processes) {
                Await.until(Duration.ofSeconds(60), () -> process.logText().contains("MQTT cluster: 2 nodes"),
                        () -> "no cluster of two nodes: " + process.describe());
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static int[] twoFreePorts(int base) {
        int first = FreePorts.firstFree(base, 20);
        return new int[]{first, FreePorts.firstFree(first + 1, 20)};
    }

    /** Node {@code n}'s HTTP port (REST API). */
    public int httpPort(int n) {
        return httpPorts[n];
    }

    public RunningBroker node(int n) {
        return nodes.get(n);
    }

    /**
     * The forwarded-message counters node {@code n} last logged: {received, sent}; the node logs them at most once a
     * second, when they changed.
     */
    public long[] forwarded(int n) {
        Matcher m = FORWARDED.matcher(processes.get(n).logText());
        long[] last = {0, 0};
        while (m.find()) {
            last = new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        return last;
    }

    /** Stops node {@code n} the way an operator does (SIGTERM): its Hazelcast member leaves the cluster. */
    public void stop(int n) {
        processes.get(n).close();
    }

    /**
     * Kills node {@code n} with SIGKILL (no shutdown, no final store flush: only what it committed survives) and
     * waits until its process is gone; the other node sees its Hazelcast member disappear.
     */
    public void kill(int n) throws Exception {
        BrokerProcess process = processes.get(n);
        Process kill = new ProcessBuilder("kill", "-9", String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -9 of node " + n + " failed: " + process.describe());
        }
        Await.until(Duration.ofSeconds(20), () -> !process.isAlive(), () -> "node " + n + " still runs after kill -9");
    }

    /** Whether node {@code n} logged {@code text}. */
    public boolean logged(int n, String text) {
        return processes.get(n).logText().contains(text);
    }

    public String describe() {
        StringBuilder s = new StringBuilder();
        processes.forEach(p -> s.append(p.describe()).append('\n'));
        return s.toString();
    }

    @Override
    public void close() {
        processes.forEach(BrokerProcess::close);
    }
}
