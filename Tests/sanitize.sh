#!/usr/bin/env bash
# Runs the test suite under a sanitizer, each with its own scratch path (the sanitized builds do
# not disturb .build):
#
#   Tests/sanitize.sh thread  [swift test arguments...]   # ThreadSanitizer, .build-tsan
#   Tests/sanitize.sh address [swift test arguments...]   # AddressSanitizer + LeakSanitizer, .build-asan
#
# e.g. Tests/sanitize.sh thread --filter WSKitServerTests. Fails when a test fails, when no test ran,
# or when the sanitizer reports anything (a ThreadSanitizer WARNING, an AddressSanitizer or
# LeakSanitizer ERROR), and prints the failed tests and the first reports. The log is kept in
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
report_pattern="(WARNING|ERROR|FATAL): (ThreadSanitizer|AddressSanitizer|LeakSanitizer)"
reports=$(grep -cE "$report_pattern" "$log" || true)
# Swift Testing's summary: "Test run with N tests in M suites passed|failed ...".
ran=$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -1)
grep -E "Test run with|Executed [0-9]+ tests" "$log" | tail -2 >&2 || true
grep -E "^✘" "$log" | head -20 >&2 || true
grep -E -A 24 "$report_pattern" "$log" | head -120 >&2 || true
echo "sanitize: $kind: exit $status, ${ran:-0} tests run, $reports sanitizer reports (log: $log)" >&2
[ "${ran:-0}" -gt 0 ] || { echo "sanitize: no test ran" >&2; exit 1; }
[ "$status" -eq 0 ] && [ "$reports" -eq 0 ]
