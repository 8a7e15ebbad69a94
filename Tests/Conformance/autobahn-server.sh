#!/usr/bin/env bash
# Runs the Autobahn|Testsuite fuzzingclient (all 517 cases) against wskit-echo and fails unless
# every case is OK, NON-STRICT or INFORMATIONAL: permessage-deflate is negotiated, so the 216
# compression cases (12.*, 13.*) count as FAILED if UNIMPLEMENTED (REQUIRE_DEFLATE=all; set
# REQUIRE_DEFLATE=0 to test a build without compression).
#
#   Tests/Conformance/autobahn-server.sh [CASES]       (default "*")
#
# Needs ../shared/conformance beside the repository (CI has it) and builds wskit-echo in release.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="${WSKIT_CONFORMANCE_DIR:-$ROOT/../shared/conformance}"
CASES="${1:-*}"
PORT="${AUTOBAHN_PORT:-9301}"
[ -x "$SHARED/autobahn-server.sh" ] || { echo "autobahn: $SHARED/autobahn-server.sh not found" >&2; exit 2; }

NODE24="${NODE24:-0}" "$SHARED/install.sh" >/dev/null
swift build -c release --product wskit-echo --package-path "$ROOT" >/dev/null
ECHO="$(swift build -c release --package-path "$ROOT" --show-bin-path)/wskit-echo"

"$ECHO" --port "$PORT" --loops 2 2>/tmp/wskit-echo-autobahn.log &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { echo "autobahn: wskit-echo exited:" >&2; cat /tmp/wskit-echo-autobahn.log >&2; exit 1; }
  sleep 0.1
done
REQUIRE_DEFLATE="${REQUIRE_DEFLATE:-all}" AGENT=wskit OUTDIR="${OUTDIR:-/tmp/autobahn/wskit-server}" TIMEOUT="${TIMEOUT:-1800}" \
  "$SHARED/autobahn-server.sh" "$PORT" "$CASES"
kill -0 "$PID" 2>/dev/null || { echo "autobahn: wskit-echo crashed during the run" >&2; cat /tmp/wskit-echo-autobahn.log >&2; exit 1; }
