#!/usr/bin/env bash
# Cross-checks wskit-bench's load generator against the independent wsload (../shared/perf/wsload.c):
# both load the same server process in turn (A B A B ...), pinned as in the suite (server CPU 0,
# generator CPU 1), and the medians of each are printed side by side.
#
#   Benchmarks/scripts/crosscheck-wsload.sh [SERVER_COMMAND ...]
#
# Default server: wskit-echo from .build-bench (--loops 1). Environment: ROUNDS [3], DURATION [4],
# WARMUP [1], BENCH [.build-bench/release/wskit-bench], WSLOAD [/tmp/wsload], PORT [19990].
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-4}"; WARMUP="${WARMUP:-1}"; PORT="${PORT:-19990}"
BENCH="${BENCH:-.build-bench/release/wskit-bench}"
WSLOAD="${WSLOAD:-/tmp/wsload}"
if [ $# -eq 0 ]; then set -- .build-bench/release/wskit-echo --port "$PORT" --loops 1; fi
[ -x "$BENCH" ] || { echo "crosscheck: build wskit-bench first ($BENCH)" >&2; exit 2; }
if [ ! -x "$WSLOAD" ] || [ ../shared/perf/wsload.c -nt "$WSLOAD" ]; then
    gcc -O2 -Wall -o "$WSLOAD" ../shared/perf/wsload.c -lpthread || exit 2
fi
ulimit -n "$(ulimit -Hn)"
out="$(mktemp -d)"
PORT="$PORT" taskset -c 0 "$@" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

run() { # NAME TOOL-ARGS...
    local name="$1"; shift
    taskset -c 1 "$@" 2>>"$out/load.log" | tail -1 >>"$out/$name.jsonl"
}
for round in $(seq "$ROUNDS"); do
    echo "round $round" >&2
    run wsload-echo32 "$WSLOAD" echo -p "$PORT" -c 100 -s 32 -d "$DURATION" -w "$WARMUP" -m "$server"
    run bench-echo32 "$BENCH" load echo --port "$PORT" --conns 100 --size 32 --duration "$DURATION" --warmup "$WARMUP" --pids "$server"
    run wsload-echo32k16 "$WSLOAD" echo -p "$PORT" -c 100 -k 16 -s 32 -d "$DURATION" -w "$WARMUP" -m "$server"
    run bench-echo32k16 "$BENCH" load echo --port "$PORT" --conns 100 --inflight 16 --size 32 --duration "$DURATION" --warmup "$WARMUP" --pids "$server"
    run wsload-bcast "$WSLOAD" broadcast -p "$PORT" -c 1000 -d "$DURATION" -w "$WARMUP" -m "$server"
    run bench-bcast "$BENCH" load bcast --port "$PORT" --conns 1000 --duration "$DURATION" --warmup "$WARMUP" --pids "$server"
done
python3 - "$out" <<'PY'
import json, pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
def load(name):
    rows = [json.loads(l) for l in (out / f"{name}.jsonl").read_text().splitlines() if l.startswith("{")]
    return rows
def med(rows, f):
    vals = [f(r) for r in rows]
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else float("nan")
print("| scenario | generator | msg or deliveries/s | server CPU µs/msg | server cores | generator cores | p50 µs | p99 µs | other_cpu |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for scenario, key in [("echo32", "msg_per_s"), ("echo32k16", "msg_per_s"), ("bcast", "deliveries_per_s")]:
    for tool in ["wsload", "bench"]:
        rows = load(f"{tool}-{scenario}")
        rate = med(rows, lambda r: r.get(key))
        cpu = med(rows, lambda r: r["server_cpu"] / r[key] * 1e6 if r.get(key) else None)
        print(f"| {scenario} | {'wsload' if tool == 'wsload' else 'wskit-bench load'} | {rate:,.0f} | {cpu:.2f} | "
              f"{med(rows, lambda r: r['server_cpu']):.2f} | {med(rows, lambda r: r['client_cpu']):.2f} | "
              f"{med(rows, lambda r: r.get('p50_us')):,.0f} | {med(rows, lambda r: r.get('p99_us')):,.0f} | "
              f"{med(rows, lambda r: r.get('other_cpu')):.2f} |")
PY
echo "crosscheck: raw lines in $out" >&2
