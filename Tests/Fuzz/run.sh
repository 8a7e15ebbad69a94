#!/usr/bin/env bash
# Builds and runs one libFuzzer target (Swift with -sanitize=fuzzer,address; Linux).
#
#   Tests/Fuzz/run.sh TARGET [libFuzzer options...]      e.g. -runs=10000000 or -max_total_time=60
#   Tests/Fuzz/run.sh --list
#   Tests/Fuzz/run.sh --smoke SECONDS                    every target for SECONDS each (CI)
#
# TARGET names a file Tests/Fuzz/Targets/TARGETTarget.swift; it is compiled into the module it tests (internal
# access, no package build needed) under .build-fuzz/. Its seed corpus is Tests/Fuzz/corpus/TARGET
# (committed); new inputs go to .build-fuzz/corpus/TARGET, crashes to .build-fuzz/crashes/TARGET.
# Exits non-zero on a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PATH="/opt/swift/usr/bin:$PATH"

module_of() {
  case "$1" in
    HTTPRequestParser|HTTPResponseParser|WebSocketEngine|Inflater) echo WSKitProtocol ;;
    Envelope) echo WSKitContract ;;
    RESPParser) echo WSKitRedis ;;
    *) echo "fuzz: unknown target $1 (see --list)" >&2; exit 2 ;;
  esac
}

targets() { for f in Tests/Fuzz/Targets/*Target.swift; do basename "$f" Target.swift; done; }

build() {
  local target=$1 module binary
  module=$(module_of "$target")
  binary=.build-fuzz/bin/$target
  mkdir -p .build-fuzz/bin
  local sources
  sources=$(find "Sources/$module" -name '*.swift' | sort)
  if [ ! -x "$binary" ] || [ -n "$(find $sources "Tests/Fuzz/Targets/${target}Target.swift" -newer "$binary" 2>/dev/null | head -1)" ]; then
    echo "fuzz: building $target (module $module)" >&2
    # shellcheck disable=SC2086
    # WSKitProtocol's permessage-deflate imports the CZlib system library (module map, libz).
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name "$module" -package-name wskit \
      -I Sources/CZlib -lz $sources "Tests/Fuzz/Targets/${target}Target.swift" -o "$binary" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
    [ -x "$binary" ] || { echo "fuzz: build of $target failed" >&2; exit 1; }
  fi
  echo "$binary"
}

run() {
  local target=$1; shift
  local binary
  binary=$(build "$target")
  mkdir -p ".build-fuzz/corpus/$target" ".build-fuzz/crashes/$target"
  # detect_leaks=0: a fuzz iteration that allocates a global once (a cache) is not a leak finding.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" -artifact_prefix=".build-fuzz/crashes/$target/" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
    ".build-fuzz/corpus/$target" "Tests/Fuzz/corpus/$target"
}

case "${1:-}" in
  --list) targets ;;
  --smoke)
    seconds=${2:-5}
    mkdir -p .build-fuzz
    for target in $(targets); do
      echo "== fuzz smoke: $target (${seconds} s)"
      log=".build-fuzz/smoke-$target.log"
      status=0
      run "$target" -max_total_time="$seconds" >"$log" 2>&1 || status=$?
      grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Fatal error" "$log" || true
      [ "$status" -eq 0 ] || { tail -30 "$log"; echo "fuzz: $target found something (exit $status)" >&2; exit 1; }
    done ;;
  ""|-h|--help) sed -n 2,12p "$0"; exit 2 ;;
  *) target=$1; shift; run "$target" "$@" ;;
esac
