#!/usr/bin/env bash
# Durable QoS 1 into persistent sessions, on our broker with the embedded H2 store and with a MariaDB store, against
# Mosquitto's non-durable QoS 1 in the same run (issue 5's figure; BENCHMARKS.md shows the results).
# Each target is started fresh on loopback, measured with the same closed-loop p2p scenario, and stopped:
#   mosquitto  persistence off, clean sessions            (the reference)
#   ours-h2    persistent sessions (-Dbench.persistent)   mqtt.data.dir in a fresh folder
#   ours-mysql persistent sessions                        a private MariaDB server (Debian's mariadb-server)
# Options: ROUNDS (default 3) alternating rounds; TARGETS (default "mosquitto h2 mysql") which of them run;
# PORT_OURS, PORT_HTTP, PORT_MOSQ, PORT_DB the ports; BROKER_JVM_OPTS more options for our broker's JVM;
# MARIADB_OPTS replaces the MariaDB server options below; BASELINE_JAR another build of the broker (say, the one
# before a change) measured on MariaDB in every round too, as ours-mysql-baseline; extra arguments go to every `broker-bench.jar run`. MariaDB's global status counters before and after each of its
# runs go to mariadb-status-<round>.txt (statements, log fsyncs).
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
jar="$bench/target/broker-bench.jar"
broker_jar="$root/broker-ear/target/ee-mqtt-server.jar"
rounds="${ROUNDS:-3}"
targets=" ${TARGETS:-mosquitto h2 mysql} "
port_ours=${PORT_OURS:-21883} port_http=${PORT_HTTP:-28080} port_mosq=${PORT_MOSQ:-21884} port_db=${PORT_DB:-33406}
for tool in java mosquitto mosquitto_passwd mariadbd mariadb-install-db mariadb; do
  PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null || {
    echo "$tool is missing: apt-get install -y mosquitto mariadb-server (and Java 17)" >&2; exit 3; }
done
[ -f "$broker_jar" ] && [ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 3; }

work="$(mktemp -d /tmp/eemqtt-durable-XXXXXX)"
out="$bench/target/bench-results/durable-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 600); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "nothing listens on $1" >&2; return 1; }

# MariaDB: a private server for the run (root over the socket only), database mqtt, user mqtt.
db="$work/mariadb"
mkdir -p "$db/data"
mariadb-install-db --no-defaults --datadir="$db/data" --user="$(id -un)" --auth-root-authentication-method=normal \
  >"$out/mariadb-install.log" 2>&1
# MariaDB's defaults plus a larger buffer pool and redo log (fewer checkpoint flushes under a steady insert/delete
# load); a log flush per commit stays (innodb_flush_log_at_trx_commit=1): durability is what is measured.
mariadb_opts=${MARIADB_OPTS:---innodb-buffer-pool-size=256M --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=1}
# shellcheck disable=SC2086
PATH="$PATH:/usr/sbin" mariadbd --no-defaults $mariadb_opts --datadir="$db/data" --user="$(id -un)" --port=$port_db \
  --bind-address=127.0.0.1 --socket="$db/mysqld.sock" --pid-file="$db/mysqld.pid" --log-error="$out/mariadb.err" &
db_pid=$!
pids+=($db_pid)
wait_port $port_db
mariadb --no-defaults -uroot --socket="$db/mysqld.sock" -e \
  "DROP USER IF EXISTS ''@'localhost'; DROP USER IF EXISTS ''@'$(hostname)'; CREATE DATABASE mqtt;
   CREATE USER 'mqtt'@'localhost' IDENTIFIED BY 'bench-secret'; GRANT ALL ON mqtt.* TO 'mqtt'@'localhost';"

# Mosquitto, configured as broker-bench's matrix does (no persistence, same queue and in-flight limits).
mkdir -p "$work/mosquitto"
mosquitto_passwd -b -c "$work/mosquitto/passwd" guest guest 2>/dev/null
cat >"$work/mosquitto/mosquitto.conf" <<CONF
listener $port_mosq 127.0.0.1
allow_anonymous false
password_file $work/mosquitto/passwd
persistence false
user $(id -un)
max_inflight_messages 65535
max_queued_messages 1000
CONF

run_bench() { # label port pid persistent extra...
  local label=$1 port=$2 pid=$3 persistent=$4; shift 4
  java -Xms512m -Xmx1g -XX:+UseParallelGC -Dbench.persistent="$persistent" -jar "$jar" run --port "$port" \
    --scenario p2p --qos 1 --clients 10 --payload 64 --duration 10 --warmup 3 --broker-pid "$pid" \
    --label "$label" "$@" | tee -a "$out/runs.log" | grep '^RESULT' | sed 's/^RESULT //' >>"$out/results.jsonl"
}

start_ours() { # name extra-settings...  (data in the scratch folder, the log with the results; OURS_JAR the jar)
  local dir="$work/$1" log="$out/$1.log"; shift
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # BROKER_JVM_OPTS: extra JVM options, e.g. a flight recording
  (cd "$dir" && exec java -Xms512m -Xmx1g -XX:+UseParallelGC ${BROKER_JVM_OPTS:-} -Dmqtt.tcp.port=$port_ours \
      -Dmqtt.bind.address=127.0.0.1 -Dmqtt.guest.password=guest -Dmqtt.tls.port=-1 -Dmqtt.https.port=-1 \
      -Dmqtt.data.dir="$dir/data" -Dmqtt.session.max.queued=100000 "$@" \
      -jar "${OURS_JAR:-$broker_jar}" --port $port_http >"$log" 2>&1) &
  ours_pid=$!
  pids+=($ours_pid)
  wait_port $port_ours
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

fresh_db() { # an empty database for each broker start (the user's grant on mqtt.* stays)
  mariadb --no-defaults -uroot --socket="$db/mysqld.sock" -e "DROP DATABASE mqtt; CREATE DATABASE mqtt;"
}

db_status() { # counters that tell where a durable run's database time goes
  mariadb --no-defaults -uroot --socket="$db/mysqld.sock" -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN
    ('Questions','Com_insert','Com_update','Com_delete','Com_select','Com_commit','Innodb_os_log_fsyncs',
     'Innodb_data_fsyncs','Innodb_rows_inserted','Innodb_rows_deleted','Innodb_rows_updated','Bytes_received')"
  echo "mariadbd_cpu_ticks $(awk '{print $14 + $15}' "/proc/$db_pid/stat")" # utime + stime, CLK_TCK 100
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds" >&2
  if [[ $targets == *" mosquitto "* ]]; then
    mosquitto -c "$work/mosquitto/mosquitto.conf" >"$out/mosquitto.log" 2>&1 &
    mosq_pid=$!; pids+=($mosq_pid); wait_port $port_mosq
    run_bench mosquitto $port_mosq $mosq_pid false "$@"
    stop $mosq_pid
  fi

  if [[ $targets == *" h2 "* ]]; then
    start_ours "h2-$round"
    run_bench ours-h2-durable $port_ours $ours_pid true "$@"
    stop $ours_pid
  fi

  if [[ $targets == *" mysql "* ]]; then
    fresh_db
    start_ours "mysql-$round" -Dmqtt.db.url="jdbc:mysql://127.0.0.1:$port_db/mqtt" -Dmqtt.db.user=mqtt \
      -Dmqtt.db.password=bench-secret
    { echo "# before"; db_status; } >"$out/mariadb-status-$round.txt"
    run_bench ours-mysql-durable $port_ours $ours_pid true "$@"
    { echo "# after"; db_status; } >>"$out/mariadb-status-$round.txt"
    stop $ours_pid
    if [ -n "${BASELINE_JAR:-}" ]; then
      fresh_db
      OURS_JAR="$BASELINE_JAR" start_ours "baseline-$round" \
        -Dmqtt.db.url="jdbc:mysql://127.0.0.1:$port_db/mqtt" -Dmqtt.db.user=mqtt -Dmqtt.db.password=bench-secret
      { echo "# before"; db_status; } >"$out/mariadb-status-baseline-$round.txt"
      run_bench ours-mysql-baseline $port_ours $ours_pid true "$@"
      { echo "# after"; db_status; } >>"$out/mariadb-status-baseline-$round.txt"
      stop $ours_pid
    fi
  fi
done

echo "results: $out/results.jsonl" >&2
python3 - "$out/results.jsonl" <<'PY' | tee "$out/summary.md"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r.get("label"), []).append(r)
ref = statistics.median(r["del_rate"] for r in by.get("mosquitto", [{"del_rate": 0}]))
print("| target | delivered msg/s (median) | runs | p50 ms | p99 ms | lost | dup | of Mosquitto |")
print("|---|---|---|---|---|---|---|---|")
for label, rs in by.items():
    rate = statistics.median(r["del_rate"] for r in rs)
    p50 = statistics.median(r["p50_us"] for r in rs) / 1000
    p99 = statistics.median(r["p99_us"] for r in rs) / 1000
    print(f"| {label} | {rate:,.0f} | {len(rs)} | {p50:.1f} | {p99:.1f} | {sum(r['lost'] for r in rs)} "
          f"| {sum(r['dup'] for r in rs)} | {rate / ref:.2f}x |" if ref else "")
PY
