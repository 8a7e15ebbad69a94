#!/usr/bin/env bash
# Every module that uses `Mutex` holds an identical copy of SanitizerVisibleMutex.swift (ADR 0091).
#   Tests/Sanitizers/mutex-copies.sh          check the copies (exit 1 on a difference or a module
#                                             that uses Mutex without a copy)
#   Tests/Sanitizers/mutex-copies.sh --write  refresh the copies from the canonical file
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
canonical=Tests/Sanitizers/SanitizerVisibleMutex.swift
folders=(
  Sources/WSKit Sources/WSKitRedis Sources/WSKitRouter Sources/WSKitServer Sources/WSKitTesting
  Sources/WSKitValidation Plugins/WSKitHeartbeat Plugins/WSKitPubSub Plugins/WSKitPubSubRedis
  Plugins/WSKitRPC Plugins/WSKitRateLimit Examples/Demo/Chat Tests/LiveFixtures Tests/WSKitHeartbeatTests
  Tests/WSKitPubSubTests Tests/WSKitRateLimitRedisTests Tests/WSKitRateLimitTests Tests/WSKitRedisTests
  Tests/WSKitRouterTests Examples/Guide Examples/FlowControl/Feed Tests/WSKitServerTests Tests/WSKitRPCTests
  Plugins/WSKitPresence Plugins/WSKitPresenceRedis Sources/WSKitMetrics Tests/WSKitPresenceTests Examples/TicTacToe/Game Examples/Board/Sync
)
status=0
for folder in "${folders[@]}"; do
  copy="$folder/SanitizerVisibleMutex.swift"
  if [ "${1:-}" = "--write" ]; then
    cp "$canonical" "$copy"
  elif ! cmp -s "$canonical" "$copy"; then
    echo "mutex-copies: $copy differs from $canonical (run $0 --write)" >&2
    status=1
  fi
done
# A module using Mutex without a copy would use the standard library's, invisible to TSan.
while IFS= read -r file; do
  folder=""
  for candidate in "${folders[@]}"; do
    case "$file" in "$candidate"/*) folder=$candidate ;; esac
  done
  if [ -z "$folder" ]; then
    echo "mutex-copies: $file uses Mutex, but its module has no SanitizerVisibleMutex.swift" >&2
    status=1
  fi
done < <(grep -rlE '\bMutex(<|\()' --include=*.swift Sources Plugins Examples Tests | grep -v "^Tests/Sanitizers/" | grep -v "/SanitizerVisibleMutex.swift$")
exit $status
