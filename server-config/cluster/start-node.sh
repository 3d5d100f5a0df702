#!/usr/bin/env bash
# Starts node 0 or node 1 of a two-node EE MQTT cluster on this machine, in the background, from the uber-jar.
#   server-config/cluster/start-node.sh 0|1     (stop it with stop-node.sh 0|1)
# Every port differs between the two (MQTT 18883/28883, TLS 18884/28884, HTTP 8080/8081, HTTPS 8181/8182, Hazelcast
# 6900/6901), each node keeps its store (and its generated TLS key, data/node<N>/tls) in data/node<N> and its log in data/node<N>/node.log (relative to the working directory), and the two find
# each other on loopback only (Hazelcast TCP/IP discovery, cluster name "eemqtt"). Settings go in JAVA_OPTS as for
# run.sh (e.g. JAVA_OPTS=-Dmqtt.log.level=FINE); CLUSTER_JAR points at another uber-jar; NODE_MQTT_PORTS,
# NODE_TLS_PORTS, NODE_HTTP_PORTS, NODE_HTTPS_PORTS and NODE_HZ_PORTS ("port-of-node-0 port-of-node-1") move the ports.
# MQTT_DB_URL, MQTT_DB_USER and MQTT_DB_PASSWORD (the environment form of mqtt.db.*), the same for both nodes, give
# them one shared MySQL/MariaDB: persistent sessions then move between the nodes and survive the death of one.
set -euo pipefail
node="${1:-}"
case "$node" in
  0|1) ;;
  *) echo "usage: $0 0|1" >&2; exit 2 ;;
esac
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="${CLUSTER_JAR:-$project/broker-ear/target/ee-mqtt-server.jar}"
[ -f "$jar" ] || { echo "No $jar: build it with 'mvn -B -DskipTests package' first" >&2; exit 1; }
read -r -a mqtt_ports <<<"${NODE_MQTT_PORTS:-18883 28883}"
read -r -a tls_ports <<<"${NODE_TLS_PORTS:-18884 28884}"
read -r -a http_ports <<<"${NODE_HTTP_PORTS:-8080 8081}"
read -r -a https_ports <<<"${NODE_HTTPS_PORTS:-8181 8182}"
read -r -a hz_ports <<<"${NODE_HZ_PORTS:-6900 6901}"
mqtt_port=${mqtt_ports[$node]}
tls_port=${tls_ports[$node]}
http_port=${http_ports[$node]}
https_port=${https_ports[$node]}
hz_port=${hz_ports[$node]}
dir="data/node$node"
mkdir -p "$dir/tmp"
pidfile="$dir/node.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "node $node is running already (pid $(cat "$pidfile"))" >&2; exit 1
fi
# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
nohup java ${JAVA_OPTS:-} -Djava.io.tmpdir="$dir/tmp" \
  -Dmqtt.cluster.enabled=true -Dmqtt.tcp.port=$mqtt_port -Dmqtt.tls.port=$tls_port -Dmqtt.https.port=$https_port \
  -Dmqtt.data.dir="$dir" \
  -jar "$jar" --name "node$node" --port $http_port \
  --clustername eemqtt --clustermode "tcpip:127.0.0.1:${hz_ports[0]},127.0.0.1:${hz_ports[1]}" --startport $hz_port \
  --interfaces 127.0.0.1 --nohostaware \
  > "$dir/node.log" 2>&1 < /dev/null &
echo $! > "$pidfile"
echo "node $node started (pid $!): MQTT $mqtt_port, TLS $tls_port, HTTP $http_port, HTTPS $https_port, Hazelcast $hz_port, log $dir/node.log"
