#!/usr/bin/env bash
# Stops a node started by start-node.sh (same working directory): SIGTERM, then SIGKILL after 30 s.
set -euo pipefail
node="${1:-}"
case "$node" in
  0|1) ;;
  *) echo "usage: $0 0|1" >&2; exit 2 ;;
esac
pidfile="data/node$node/node.pid"
[ -f "$pidfile" ] || { echo "node $node: no $pidfile (not started from here?)" >&2; exit 1; }
pid="$(cat "$pidfile")"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  echo "node $node stopped (pid $pid)"
else
  echo "node $node was not running"
fi
rm -f "$pidfile"
