#!/usr/bin/env bash
# Runs the Autobahn|Testsuite fuzzingserver (all 517 cases) against wskit-autobahn-client, which
# drives WSKitClient's connection, and fails unless every case is OK, NON-STRICT or
# INFORMATIONAL: permessage-deflate is negotiated, so the 216 compression cases (12.*,
# 13.*) count as FAILED if UNIMPLEMENTED (REQUIRE_DEFLATE=all; REQUIRE_DEFLATE=0 to relax).
#
#   Tests/Conformance/autobahn-client.sh [CASES]       (default "*")
#
# Needs ../shared/conformance beside the repository (CI has it) and builds wskit-autobahn-client
# in release.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="${WSKIT_CONFORMANCE_DIR:-$ROOT/../shared/conformance}"
CASES="${1:-*}"
PORT="${AUTOBAHN_PORT:-9302}"
SCRATCH=()
[ -n "${SCRATCH_PATH:-}" ] && SCRATCH=(--scratch-path "$SCRATCH_PATH")
[ -x "$SHARED/autobahn-client.sh" ] || { echo "autobahn: $SHARED/autobahn-client.sh not found" >&2; exit 2; }

NODE24="${NODE24:-0}" "$SHARED/install.sh" >/dev/null
swift build -c release --product wskit-autobahn-client --package-path "$ROOT" "${SCRATCH[@]}" >/dev/null
CLIENT="$(swift build -c release --package-path "$ROOT" "${SCRATCH[@]}" --show-bin-path)/wskit-autobahn-client"

REQUIRE_DEFLATE="${REQUIRE_DEFLATE:-all}" AGENT=wskit-client OUTDIR="${OUTDIR:-/tmp/autobahn/wskit-client}" TIMEOUT="${TIMEOUT:-1800}" \
  "$SHARED/autobahn-client.sh" "$PORT" "$CASES" -- "$CLIENT"
