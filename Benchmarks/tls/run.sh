#!/usr/bin/env bash
# TLS benchmarks of issue 13: wskit-echo and Node `ws` (https) under Benchmarks/tls/wsload-tls.
# Server pinned to CPU 0, generator to CPU 1, servers alternated; ECDSA P-256 test certificate.
#   Benchmarks/tls/run.sh [ROUNDS]       (needs .build/release/wskit-echo, node + node-ws, openssl)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-2}"
WORK="$(mktemp -d /tmp/wskit-tls-bench-XXXXXX)"
gcc -O2 -Wall -o "$WORK/wsload-tls" "$ROOT/Benchmarks/tls/wsload-tls.c" -lssl -lcrypto
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
PORT=19700
start() {
  case "$1" in
    wskit) taskset -c 0 "$ROOT/.build/release/wskit-echo" --port $PORT --loops 1 --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" 2>/dev/null & ;;
    node) NODE_PATH=/usr/share/nodejs taskset -c 0 node "$ROOT/Benchmarks/tls/node-ws-tls.js" $PORT "$WORK/cert.pem" "$WORK/key.pem" 2>/dev/null & ;;
  esac
  PID=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return; sleep 0.05; done
}
for round in $(seq "$ROUNDS"); do
  for server in wskit node; do
    for scenario in "echo -c 100 -s 32 -d 5 -w 1" "echo -c 100 -s 16384 -b -d 5 -w 1" "handshake -d 5 -w 1" "idle -c 10000 -d 3"; do
      PORT=$((PORT + 1)); start $server
      echo "{\"server\":\"$server\",\"round\":$round,\"result\":$(taskset -c 1 "$WORK/wsload-tls" $scenario -p $PORT -m $PID)}"
      kill $PID; wait $PID 2>/dev/null || true
    done
  done
done
rm -rf "$WORK"
