#!/usr/bin/env bash
# Cross-node throughput and latency against single-node (issue 8's figure; BENCHMARKS.md shows the results).
# Starts two clustered nodes of our broker on loopback (as server-config/cluster/start-node.sh does, on ports of
# their own) and measures, alternating in each round:
#   local  publishers and subscribers on node 0                (the single-node path, in the same processes)
#   cross  publishers on node 0, their subscribers on node 1   (every message forwarded through Hazelcast)
# both closed loop (maximum, p2p QoS 1, 10 pairs) and open loop (p2p QoS 1 at RATE msg/s: latency).
# Options: ROUNDS (default 3), RATE (default 2000), NODE_MQTT_PORTS / NODE_HTTP_PORTS / NODE_HZ_PORTS (two ports
# each, defaults "31883 31884", "38080 38081", "36900 36901"); extra arguments go to every `broker-bench.jar run`.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
jar="$bench/target/broker-bench.jar"
broker_jar="$root/broker-ear/target/ee-mqtt-server.jar"
rounds="${ROUNDS:-3}" rate="${RATE:-2000}"
read -r -a mqtt <<<"${NODE_MQTT_PORTS:-31883 31884}"
read -r -a http <<<"${NODE_HTTP_PORTS:-38080 38081}"
read -r -a hz <<<"${NODE_HZ_PORTS:-36900 36901}"
[ -f "$broker_jar" ] && [ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 3; }

work="$(mktemp -d /tmp/eemqtt-cluster-XXXXXX)"
out="$bench/target/bench-results/cluster-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for n in 0 1; do
  mkdir -p "$work/node$n"
  (cd "$work/node$n" && exec java -Xms512m -Xmx1g -XX:+UseParallelGC -Djava.io.tmpdir="$work/node$n" \
      -Dmqtt.cluster.enabled=true -Dmqtt.tcp.port=${mqtt[$n]} -Dmqtt.bind.address=127.0.0.1 \
      -Dmqtt.guest.password=guest -Dmqtt.tls.port=-1 -Dmqtt.https.port=-1 \
      -Dmqtt.data.dir="$work/node$n/data" -jar "$broker_jar" --name node$n --port ${http[$n]} \
      --clustername "bench-$$" --clustermode "tcpip:127.0.0.1:${hz[0]},127.0.0.1:${hz[1]}" --startport ${hz[$n]} \
      --interfaces 127.0.0.1 --nohostaware >"$out/node$n.log" 2>&1) &
  pids+=($!)
done
node0=${pids[0]}
for n in 0 1; do
  for _ in $(seq 1 900); do grep -q "MQTT cluster: 2 nodes" "$out/node$n.log" 2>/dev/null && break; sleep 0.5; done
  grep -q "MQTT cluster: 2 nodes" "$out/node$n.log" || { echo "node $n did not join (see $out/node$n.log)" >&2; exit 1; }
done
for p in ${mqtt[0]} ${mqtt[1]}; do
  for _ in $(seq 1 600); do (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done

run_bench() { # label sub-port extra...
  local label=$1 sub=$2; shift 2
  java -Xms512m -Xmx1g -XX:+UseParallelGC -jar "$jar" run --port ${mqtt[0]} --sub-port "$sub" \
    --scenario p2p --qos 1 --clients 10 --payload 64 --duration 10 --warmup 3 --broker-pid "$node0" \
    --label "$label" "$@" | tee -a "$out/runs.log" | grep '^RESULT' | sed 's/^RESULT //' >>"$out/results.jsonl"
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds" >&2
  run_bench local 0 "$@"
  run_bench cross ${mqtt[1]} "$@"
  run_bench local-latency 0 --rate "$rate" "$@"
  run_bench cross-latency ${mqtt[1]} --rate "$rate" "$@"
done
echo "results: $out/results.jsonl" >&2
grep -h "forwarded messages" "$out/node0.log" "$out/node1.log" | tail -2 | sed 's/.*MQTT cluster/MQTT cluster/' >&2
