#!/usr/bin/env bash
# Compile-time capability checks (ADR 0020): a capability whose plugin is not installed must not
# compile. Each fail-*.swift must fail to type-check with the message in its `expect-error` line;
# each ok-*.swift must type-check. A snippet with a `// check: sil` line is compiled to SIL instead
# (diagnostics such as a missing return come after type checking).
# Usage: Tests/CompileChecks/run.sh [scratch-path]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scratch="${1:-.build-router}"
for target in WSKitRPC WSKitMessaging WSKitPubSub; do
  swift build --scratch-path "$scratch" --target "$target" >/dev/null
done
modules="$(swift build --scratch-path "$scratch" --show-bin-path)/Modules"
# WSKitProtocol links the system zlib through the CZlib system-library target: its module map.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
for snippet in Tests/CompileChecks/*.swift; do
  name="$(basename "$snippet")"
  cat Tests/CompileChecks/Prelude.swift.inc "$snippet" > "$work/main.swift"
  mode=-typecheck
  if grep -q '^// check: sil' "$snippet"; then mode="-emit-sil -o /dev/null"; fi
  # shellcheck disable=SC2086
  if output="$(swiftc -swift-version 6 $mode -I "$modules" -I Sources/CZlib -I Sources/COpenSSL "$work/main.swift" 2>&1)"; then
    compiled=yes
  else
    compiled=no
  fi
  expected="$(sed -n 's|^// expect-error: ||p' "$snippet")"
  if [ -z "$expected" ]; then
    if [ "$compiled" = yes ]; then echo "ok   $name compiles"; else echo "FAIL $name should compile:"; echo "$output" | grep error: | head -5; failures=$((failures + 1)); fi
  elif [ "$compiled" = yes ]; then
    echo "FAIL $name compiled, expected: $expected"; failures=$((failures + 1))
  elif grep -qF -- "$expected" <<<"$output"; then
    echo "ok   $name rejected: $expected"
  else
    echo "FAIL $name rejected with another error:"; echo "$output" | grep error: | head -5; failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ] || { echo "$failures compile check(s) failed" >&2; exit 1; }
