#!/usr/bin/env bash
# Runs the test suite under a sanitizer, each with its own scratch path (the sanitized builds do
# not disturb .build):
#
#   Tests/sanitize.sh thread  [swift test arguments...]   # ThreadSanitizer, .build-tsan
#   Tests/sanitize.sh address [swift test arguments...]   # AddressSanitizer + LeakSanitizer, .build-asan
#
# e.g. Tests/sanitize.sh thread --filter WSKitServerTests. Fails when a test fails or the sanitizer
# reports anything (a ThreadSanitizer WARNING, an AddressSanitizer ERROR). The log is kept in
# /tmp/wskit-sanitize-<kind>.log. Results of the last full runs: docs/reliability.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH"

kind=${1:-}
shift || true
case "$kind" in
  thread)
    scratch=.build-tsan
    # halt_on_error=0: report every race of the run, then fail on the count.
    export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 second_deadlock_stack=1}"
    ;;
  address)
    scratch=.build-asan
    # The suppressions cover only toolchain noise (Tests/Sanitizers/*.supp, docs/reliability.md).
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1 suppressions=$PWD/Tests/Sanitizers/asan.supp}"
    export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/Tests/Sanitizers/lsan.supp print_suppressions=0}"
    ;;
  *) echo "usage: Tests/sanitize.sh thread|address [swift test arguments...]" >&2; exit 2 ;;
esac

log=/tmp/wskit-sanitize-$kind.log
echo "sanitize: swift build --build-tests --sanitize=$kind --scratch-path $scratch" >&2
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" >"$log.build" 2>&1 || { tail -40 "$log.build"; exit 1; }
echo "sanitize: swift test --sanitize=$kind --no-parallel $*" >&2
status=0
timeout -k 10 "${WSKIT_TEST_TIMEOUT:-2400}" swift test --sanitize="$kind" --scratch-path "$scratch" --skip-build --no-parallel "$@" >"$log" 2>&1 || status=$?
reports=$(grep -cE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer" "$log" || true)
grep -E "Test run with|Executed [0-9]+ tests" "$log" | tail -2 >&2 || true
echo "sanitize: $kind: exit $status, $reports sanitizer reports (log: $log)" >&2
[ "$status" -eq 0 ] && [ "$reports" -eq 0 ]
