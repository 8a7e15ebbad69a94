#!/usr/bin/env bash
# The cost of hosting a WSKit router on Vapor or Hummingbird instead of WSKit's own server (issue 19):
# the same router (WSKitBenchRouter's typed BENCH_ECHO RPC) on all three, driven by the same load
# (`wskit-bench load echo --envelope`), and each host's own plain text echo beside it for reference.
# Server pinned to CPU 0, generator to CPU 1, each in its own session (setsid, as Benchmarks/tls/run.sh);
# servers alternate within each scenario (A B C, next scenario, next round); each run on a fresh server.
#
#   Benchmarks/hosts/run.sh [ROUNDS]            # default 3; one JSON line per run on stdout
#   Benchmarks/hosts/run.sh 3 | tee r.jsonl && python3 Benchmarks/hosts/summarize.py r.jsonl
#
# Servers:
#   wskit        RPC: wskit-bench serve rpc --loops 1     echo: wskit-echo --loops 1
#   vapor        wskit-host-bench vapor (Integrations/):  RPC on /, Vapor's own echo on /echo
#   hummingbird  wskit-host-bench hummingbird:            RPC on /, Hummingbird's own echo on /echo
# Needs the release builds:
#   swift build -c release --product wskit-bench && swift build -c release --product wskit-echo
#   swift build -c release --package-path Integrations --scratch-path Integrations/.build --product wskit-host-bench
# (or WSKIT_BENCH, WSKIT_ECHO, HOST_BENCH = paths of other builds). A server that is not built is skipped.
# Settings (environment): SERVERS="wskit vapor hummingbird", SCENARIOS="rpc1 rpc16 echo1 echo16",
# CONNS (100), SIZE (32), DURATION (5), WARMUP (1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
CONNS="${CONNS:-100}"
SIZE="${SIZE:-32}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-1}"
SERVERS="${SERVERS:-wskit vapor hummingbird}"
SCENARIOS="${SCENARIOS:-rpc1 rpc16 echo1 echo16}"
BENCH="${WSKIT_BENCH:-$ROOT/.build/release/wskit-bench}"
ECHO="${WSKIT_ECHO:-$ROOT/.build/release/wskit-echo}"
HOST="${HOST_BENCH:-$ROOT/Integrations/.build/release/wskit-host-bench}"
[ -x "$BENCH" ] || { echo "run.sh: $BENCH is missing (swift build -c release --product wskit-bench)" >&2; exit 2; }

available=""
for server in $SERVERS; do
  case "$server" in
    wskit) bin="$ECHO" ;;
    vapor|hummingbird) bin="$HOST" ;;
    *) echo "run.sh: unknown server $server" >&2; exit 2 ;;
  esac
  if [ -x "$bin" ]; then available="$available $server"; else echo "run.sh: $server not built ($bin), skipped" >&2; fi
done

PORT=19800
start() {  # SERVER KIND (rpc | echo)
  case "$1/$2" in
    wskit/rpc) setsid taskset -c 0 "$BENCH" serve rpc --port $PORT --loops 1 >/dev/null 2>&1 & ;;
    wskit/echo) setsid taskset -c 0 "$ECHO" --port $PORT --loops 1 >/dev/null 2>&1 & ;;
    */*) setsid taskset -c 0 "$HOST" "$1" --port $PORT >/dev/null 2>&1 & ;;
  esac
  PID=$!
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.05; done
  echo "run.sh: $1 did not start" >&2
}

run() {  # SERVER ROUND SCENARIO
  local server="$1" round="$2" scenario="$3" kind inflight path="/" envelope=""
  case "$scenario" in
    rpc*) kind=rpc; inflight="${scenario#rpc}"; envelope="--envelope" ;;
    echo*) kind=echo; inflight="${scenario#echo}"; [ "$server" = wskit ] || path=/echo ;;
    *) echo "run.sh: unknown scenario $scenario" >&2; exit 2 ;;
  esac
  PORT=$((PORT + 1)); start "$server" "$kind"
  local result
  result="$(setsid taskset -c 1 "$BENCH" load echo --port $PORT --path "$path" --conns "$CONNS" --inflight "$inflight" \
    --size "$SIZE" $envelope --duration "$DURATION" --warmup "$WARMUP" --pids $PID --label "$server.$scenario" || echo null)"
  echo "{\"server\":\"$server\",\"round\":$round,\"scenario\":\"$scenario\",\"result\":$result}"
  kill $PID; wait $PID 2>/dev/null || true
  sleep 0.5
}

for round in $(seq "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    for server in $available; do run "$server" "$round" "$scenario"; done
  done
done
