#!/usr/bin/env bash
# Runs the standard benchmark matrix: our broker (the Payara Micro uber-jar) against Mosquitto, alternating
# runs per scenario, and prints the median ratios ours/Mosquitto. Both brokers are started here, once each, on
# loopback ports of their own (defaults: ours 21883/HTTP 28080, Mosquitto 21884). Extra arguments go to the
# matrix, e.g. --pairs 1 --duration 3 --warmup 1 for a smoke run; see BENCHMARKS.md and
# `java -jar broker-bench/target/broker-bench.jar --help`.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
jar="$bench/target/broker-bench.jar"
broker_jar="$root/broker-ear/target/ee-mqtt-server.jar"

command -v java >/dev/null || { echo "java (17+) is not on PATH" >&2; exit 3; }
if ! PATH="$PATH:/usr/sbin" command -v mosquitto >/dev/null || ! command -v mosquitto_passwd >/dev/null; then
  echo "Mosquitto is not installed. Install it with:  sudo apt-get install -y mosquitto" >&2
  echo "(the matrix starts its own instance; the system service may stay stopped)" >&2
  exit 3
fi
if [ ! -f "$broker_jar" ]; then
  echo "Our broker's uber-jar is missing: $broker_jar" >&2
  echo "Build it at the project root with:  mvn -B -q -DskipTests package" >&2
  exit 3
fi
if [ ! -f "$jar" ]; then
  echo "Building $jar ..." >&2
  (cd "$root" && mvn -B -q -N install && mvn -B -q -f broker-bench/pom.xml -DskipTests package)
fi
# Idle connections need file descriptors on both ends: raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit: $(ulimit -n)" >&2

cd "$bench"
# The generator's own JVM: small and steady, so it leaves the cores to the brokers.
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseParallelGC} -jar "$jar" matrix \
  --ours-jar "$broker_jar" --out "$bench/target/bench-results" "$@"
