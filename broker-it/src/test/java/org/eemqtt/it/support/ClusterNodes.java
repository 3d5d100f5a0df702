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
 * a cluster of two nodes. Ports: {@code -Dit.cluster.mqtt.port} (default 4883), {@code -Dit.cluster.http.port} (11080),
 * {@code -Dit.cluster.hz.port} (56900); node n uses base + n.
 */
public final class ClusterNodes implements AutoCloseable {

    private static final Pattern FORWARDED =
            Pattern.compile("forwarded messages received (\\d+), sent (\\d+)");

    private final List<BrokerProcess> processes = new ArrayList<>();
    private final List<RunningBroker> nodes = new ArrayList<>();

    public static ClusterNodes start(String name) {
        ClusterNodes cluster = new ClusterNodes();
        try {
            int mqttBase = Integer.getInteger("it.cluster.mqtt.port", 4883);
            int httpBase = Integer.getInteger("it.cluster.http.port", 11080);
            int hzBase = Integer.getInteger("it.cluster.hz.port", 56900);
            String members = "tcpip:127.0.0.1:" + hzBase + ",127.0.0.1:" + (hzBase + 1);
            String clusterName = "it-" + name + "-" + Ids.suffix(); // joins nobody else's cluster
            for (int n = 0; n < 2; n++) {
                cluster.processes.add(BrokerProcess.start(name + "-node" + n, Map.of(
                        "mqtt.cluster.enabled", "true",
                        "mqtt.tcp.port", String.valueOf(mqttBase + n),
                        "mqtt.data.dir", "data/node" + n), List.of(
                        "--name", "node" + n, "--port", String.valueOf(httpBase + n),
                        "--clustername", clusterName, "--clustermode", members,
                        "--startport", String.valueOf(hzBase + n), "--interfaces", "127.0.0.1", "--nohostaware")));
            }
            for (int n = 0; n < 2; n++) {
                BrokerProcess process = cluster.processes.get(n);
                BrokerReadiness.awaitReady(process, ItSettings.HOST, mqttBase + n, Duration.ofSeconds(240));
                cluster.nodes.add(new RunningBroker(ItSettings.HOST, mqttBase + n, process));
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
