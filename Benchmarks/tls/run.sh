#!/usr/bin/env bash
# TLS benchmarks of issue 13: wskit-echo, Vapor and Hummingbird (NIOSSL) and Node `ws` (https), all
# under Benchmarks/tls/wsload-tls, in one run. Server pinned to CPU 0, generator to CPU 1; servers
# alternate within each scenario (A B C D, next scenario, next round); ECDSA P-256 test certificate.
# Server and generator each run in their own session (setsid): with the kernel's autogroup
# scheduling on, a busy machine's other sessions then get no larger share than each of them.
#
#   Benchmarks/tls/run.sh [ROUNDS]              # default 3; one JSON line per run on stdout
#   Benchmarks/tls/run.sh 3 | tee r.jsonl && python3 Benchmarks/tls/summarize.py r.jsonl
#
# Needs: .build/release/wskit-echo (swift build -c release --product wskit-echo; WSKIT_ECHO=PATH for
# another build, as `wskit-bench tls` passes its own), the peers
# (Benchmarks/scripts/build-peers.sh: peer-vapor and peer-hummingbird take --tls-cert/--tls-key),
# node + Debian's node-ws, openssl, gcc and libssl-dev. A server that is not built is skipped.
# Settings (environment): SERVERS="wskit vapor hummingbird node", IDLE_ROUNDS (default ROUNDS),
# IDLE_CONNS (10000), DURATION (5), WARMUP (1), HANDSHAKE_CONCURRENCY (32).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
IDLE_ROUNDS="${IDLE_ROUNDS:-$ROUNDS}"
IDLE_CONNS="${IDLE_CONNS:-10000}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-1}"
HANDSHAKE_CONCURRENCY="${HANDSHAKE_CONCURRENCY:-32}"
SERVERS="${SERVERS:-wskit vapor hummingbird node}"
PEERS="$ROOT/Benchmarks/Peers/.build/release"
ECHO="${WSKIT_ECHO:-$ROOT/.build/release/wskit-echo}"
WORK="$(mktemp -d /tmp/wskit-tls-bench-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

gcc -O2 -Wall -o "$WORK/wsload-tls" "$ROOT/Benchmarks/tls/wsload-tls.c" -lssl -lcrypto
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

available=""
for server in $SERVERS; do
  case "$server" in
    wskit) bin="$ECHO" ;;
    vapor) bin="$PEERS/peer-vapor" ;;
    hummingbird) bin="$PEERS/peer-hummingbird" ;;
    node) bin="$(command -v node || true)"; [ -e /usr/share/nodejs/ws/package.json ] || bin="" ;;
    *) echo "run.sh: unknown server $server" >&2; exit 2 ;;
  esac
  if [ -n "$bin" ] && [ -x "$bin" ]; then available="$available $server"; else echo "run.sh: $server not built, skipped" >&2; fi
done

PORT=19700
start() {
  local cert="$WORK/cert.pem" key="$WORK/key.pem"
  case "$1" in
    wskit) setsid taskset -c 0 "$ECHO" --port $PORT --loops 1 --tls-cert "$cert" --tls-key "$key" 2>/dev/null & ;;
    vapor) setsid taskset -c 0 "$PEERS/peer-vapor" --port $PORT --tls-cert "$cert" --tls-key "$key" 2>/dev/null & ;;
    hummingbird) setsid taskset -c 0 "$PEERS/peer-hummingbird" --port $PORT --tls-cert "$cert" --tls-key "$key" 2>/dev/null & ;;
    node) NODE_PATH=/usr/share/nodejs setsid taskset -c 0 node "$ROOT/Benchmarks/tls/node-ws-tls.js" $PORT "$cert" "$key" 2>/dev/null & ;;
  esac
  PID=$!
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.05; done
  echo "run.sh: $1 did not start" >&2
}

run() {  # SERVER ROUND NAME WSLOAD-ARGS...
  local server="$1" round="$2" name="$3"; shift 3
  PORT=$((PORT + 1)); start "$server"
  local result
  result="$(setsid taskset -c 1 "$WORK/wsload-tls" "$@" -p $PORT -m $PID || echo null)"
  echo "{\"server\":\"$server\",\"round\":$round,\"scenario\":\"$name\",\"result\":$result}"
  kill $PID; wait $PID 2>/dev/null || true
  sleep 0.5
}

for round in $(seq "$ROUNDS"); do
  for server in $available; do run $server $round echo32 echo -c 100 -s 32 -d "$DURATION" -w "$WARMUP"; done
  for server in $available; do run $server $round echo16k echo -c 100 -s 16384 -b -d "$DURATION" -w "$WARMUP"; done
  for server in $available; do run $server $round handshake handshake -k "$HANDSHAKE_CONCURRENCY" -d "$DURATION" -w "$WARMUP"; done
  if [ "$round" -le "$IDLE_ROUNDS" ]; then
    for server in $available; do run $server $round idle idle -c "$IDLE_CONNS" -k 64 -d 2; done
  fi
done
