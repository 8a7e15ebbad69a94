#!/usr/bin/env bash
# Compares WebSocket servers with wsload (../shared/perf/wsload.c), the way ../shared/perf/README.md
# describes: server pinned to CPU 0, wsload to CPU 1, servers alternated A B A B ..., medians.
#
#   Benchmarks/scripts/run-echo-compare.sh [NAME=COMMAND ...]
#
# Each COMMAND is run from the repo root with `{port}` replaced by a free port (PORT is also set),
# e.g.  wskit=".build/release/wskit-echo --port {port}". With no arguments the four peers are
# compared (build them first with Benchmarks/scripts/build-peers.sh). Every server must follow the
# wsload contract: 127.0.0.1, echo on any path but /bcast, broadcast to all /bcast connections.
#
# Scenarios (each on a freshly started server):
#   echo32     wsload echo -c 100 -s 32 -d $DURATION            (text)
#   echo16k    wsload echo -c 100 -s 16384 -b -d $DURATION      (binary)
#   connect    wsload connect -c $IDLE_CONNS -d $HOLD           (idle connections held)
#   bcast      wsload broadcast -c $BCAST_CONNS -k $BCAST_INFLIGHT -d $DURATION
#
# Environment (defaults in brackets):
#   ROUNDS [3]  DURATION [10]  WARMUP [2]  HOLD [5]  IDLE_CONNS [10000]  BCAST_CONNS [1000]
#   BCAST_INFLIGHT [1]: broadcasts in flight (../shared/perf/README.md's example uses 4)
#   ECHO_CONNS [100]  SCENARIOS ["echo32 echo16k connect bcast"]  PORT_BASE [9300]
#   WSLOAD [/tmp/wsload]  RESULTS [Benchmarks/results/<UTC date-time>.jsonl]
#   BASELINE [first server]: the server the summary's ratios are relative to
#   SERVER_CPU [0]  CLIENT_CPU [1]: the cores to pin to
#   QUIET_WAIT [30]  QUIET_MAX [0.25]: before each run, wait up to QUIET_WAIT seconds for the whole
#       machine to use less than QUIET_MAX cores (others' builds share it); then run anyway. Each
#       result's "other_cpu" shows how busy the rest of the machine was during the measurement.
#
# Output: one JSON line per run in $RESULTS (wsload's line plus "server", "scenario", "round",
# "command"), wsload/server stderr in ${RESULTS%.jsonl}.log, and a Markdown table of medians on
# stdout and in ${RESULTS%.jsonl}.md (Benchmarks/scripts/summarize-results.py).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
HOLD="${HOLD:-5}"
ECHO_CONNS="${ECHO_CONNS:-100}"
IDLE_CONNS="${IDLE_CONNS:-10000}"
BCAST_CONNS="${BCAST_CONNS:-1000}"
BCAST_INFLIGHT="${BCAST_INFLIGHT:-1}"
SCENARIOS="${SCENARIOS:-echo32 echo16k connect bcast}"
PORT_BASE="${PORT_BASE:-9300}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
WSLOAD="${WSLOAD:-/tmp/wsload}"
QUIET_WAIT="${QUIET_WAIT:-30}"
QUIET_MAX="${QUIET_MAX:-0.25}"
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
RESULTS="${RESULTS:-Benchmarks/results/$stamp.jsonl}"
LOG="${RESULTS%.jsonl}.log"
SUMMARY="${RESULTS%.jsonl}.md"

die() { echo "run-echo-compare: $*" >&2; exit 2; }

# --- servers -------------------------------------------------------------------------------------
names=(); cmds=()
if [ $# -eq 0 ]; then
    bin="Benchmarks/Peers/.build/release"
    set -- \
        "vapor=$bin/peer-vapor --port {port}" \
        "hummingbird=$bin/peer-hummingbird --port {port}" \
        "flyingfox=$bin/peer-flyingfox --port {port}" \
        "node-ws=node Benchmarks/Peers/node-ws/server.js --port {port}"
fi
for pair in "$@"; do
    case "$pair" in
        *=*) names+=("${pair%%=*}"); cmds+=("${pair#*=}") ;;
        *) die "expected NAME=COMMAND, got: $pair" ;;
    esac
done
for i in "${!names[@]}"; do
    [[ "${names[$i]}" =~ ^[A-Za-z0-9._-]+$ ]] || die "server name must be [A-Za-z0-9._-]: ${names[$i]}"
    exe="${cmds[$i]%% *}"
    command -v "$exe" >/dev/null 2>&1 || [ -x "$exe" ] || die "${names[$i]}: $exe not found (build it first)"
done

# --- tools, limits -------------------------------------------------------------------------------
if [ ! -x "$WSLOAD" ] || { [ -f ../shared/perf/wsload.c ] && [ ../shared/perf/wsload.c -nt "$WSLOAD" ]; }; then
    [ -f ../shared/perf/wsload.c ] || die "no $WSLOAD and no ../shared/perf/wsload.c"
    gcc -O2 -Wall -o "$WSLOAD" ../shared/perf/wsload.c -lpthread || die "building wsload failed"
fi
command -v taskset >/dev/null || die "taskset (util-linux) is needed"
command -v python3 >/dev/null || die "python3 is needed for the summary"

hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ]; then ulimit -n 1048576 2>/dev/null || ulimit -n 65536; else ulimit -n "$hard"; fi
nofile="$(ulimit -n)"
if [ "$nofile" != unlimited ] && [ "$nofile" -lt $((IDLE_CONNS + 100)) ]; then
    echo "run-echo-compare: open-file limit $nofile is below $IDLE_CONNS idle connections" >&2
fi

mkdir -p "$(dirname "$RESULTS")"
: >>"$RESULTS"

# --- one run -------------------------------------------------------------------------------------
port_seq=0
server_pid=""

wait_port() { # PORT PID: until something accepts on 127.0.0.1:PORT (30 s)
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$2" 2>/dev/null || return 1
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

busy_cores() { # cores busy machine-wide over the next second, from /proc/stat
    local a b
    a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    sleep 1
    b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    awk -v a="$a" -v b="$b" -v hz="$(getconf CLK_TCK)" \
        'BEGIN{split(a,x," "); split(b,y," "); printf "%.2f\n", (y[1]-x[1])/hz}'
}

wait_quiet() { # until the machine is quiet, at most QUIET_WAIT seconds
    local deadline=$((SECONDS + QUIET_WAIT)) busy
    while :; do
        busy="$(busy_cores)"
        awk -v b="$busy" -v m="$QUIET_MAX" 'BEGIN{exit !(b <= m)}' && return 0
        if [ $SECONDS -ge $deadline ]; then
            echo "   machine still busy ($busy cores) after ${QUIET_WAIT}s; running anyway" | tee -a "$LOG" >&2
            return 0
        fi
        sleep 2
    done
}

stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null
    local i
    for i in $(seq 50); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
}
trap 'stop_server; exit 130' INT TERM
trap 'stop_server' EXIT

run_one() { # ROUND INDEX SCENARIO
    local round="$1" i="$2" scenario="$3" name="${names[$2]}" cmd port args limit line
    port=$((PORT_BASE + port_seq % 200)); port_seq=$((port_seq + 1))
    cmd="${cmds[$i]//\{port\}/$port}"
    case "$scenario" in
        echo32)  args=(echo -c "$ECHO_CONNS" -s 32 -d "$DURATION" -w "$WARMUP") ;;
        echo16k) args=(echo -c "$ECHO_CONNS" -s 16384 -b -d "$DURATION" -w "$WARMUP") ;;
        connect) args=(connect -c "$IDLE_CONNS" -d "$HOLD") ;;
        bcast)   args=(broadcast -c "$BCAST_CONNS" -k "$BCAST_INFLIGHT" -d "$DURATION" -w "$WARMUP") ;;
        *) die "unknown scenario $scenario" ;;
    esac
    echo "== round $round  $name  $scenario  (port $port)" | tee -a "$LOG" >&2
    wait_quiet
    # exec chain: bash -> taskset -> server, so $! is the server's own pid (for wsload -m).
    PORT="$port" bash -c "exec taskset -c $SERVER_CPU $cmd" >>"$LOG" 2>&1 </dev/null &
    server_pid=$!
    if ! wait_port "$port" "$server_pid"; then
        echo "run-echo-compare: $name did not start listening on $port" | tee -a "$LOG" >&2
        stop_server
        return 1
    fi
    sleep 0.3
    limit=$(python3 -c "print(int($WARMUP + $DURATION + $HOLD + 120))")
    line="$(timeout "$limit" taskset -c "$CLIENT_CPU" "$WSLOAD" "${args[@]}" -p "$port" -m "$server_pid" -l "$name" 2>>"$LOG")"
    local rc=$?
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run-echo-compare: $name exited during $scenario" | tee -a "$LOG" >&2
    fi
    stop_server
    if [ -z "$line" ] || [ "${line:0:1}" != "{" ]; then
        echo "run-echo-compare: wsload gave no result for $name $scenario (exit $rc)" | tee -a "$LOG" >&2
        return 1
    fi
    local cmd_json="${cmds[$i]//\\/\\\\}"; cmd_json="${cmd_json//\"/\\\"}"
    echo "{\"server\":\"$name\",\"scenario\":\"$scenario\",\"round\":$round,\"run\":\"$stamp\",\"command\":\"$cmd_json\",${line:1}" >>"$RESULTS"
    echo "$line" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
keys = ["msg_per_s", "payload_mib_per_s", "deliveries_per_s", "held", "server_rss_kb_per_conn", "server_cpu", "client_cpu", "other_cpu"]
print("   " + "  ".join(f"{k}={r[k]}" for k in keys if k in r), file=sys.stderr)'
}

echo "run-echo-compare: ${#names[@]} servers x $ROUNDS rounds x [$SCENARIOS] -> $RESULTS" >&2
failures=0
for round in $(seq "$ROUNDS"); do
    for scenario in $SCENARIOS; do
        for i in "${!names[@]}"; do
            run_one "$round" "$i" "$scenario" || failures=$((failures + 1))
        done
    done
done

python3 "$root/Benchmarks/scripts/summarize-results.py" ${BASELINE:+--baseline "$BASELINE"} \
    --order "$(IFS=,; echo "${names[*]}")" "$RESULTS" | tee "$SUMMARY"
echo "run-echo-compare: results in $RESULTS, summary in $SUMMARY, log in $LOG ($failures failed runs)" >&2
[ "$failures" -eq 0 ]
