#!/usr/bin/env bash
# Builds the two programs here with AddressSanitizer and prints LeakSanitizer's verdict for each
# mode, without and with Tests/Sanitizers/lsan.supp (docs/reliability.md, ADR 0097).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export PATH="/opt/swift/usr/bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
supp=$PWD/../lsan.supp
for program in RegexCache:regex,drop,strings EnumPayload:tagged,first,plain; do
  name=${program%%:*}
  swiftc -parse-as-library -sanitize=address -g "$name.swift" -o "$out/$name" 2>&1 | grep -v "Cannot export local symbol" || true
  for mode in ${program#*:}; do mode=${mode//,/ }; for m in $mode; do
    plain=$(ASAN_OPTIONS=detect_leaks=1 "$out/$name" "$m" 2>&1 || true)
    suppressed=$(ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$supp" "$out/$name" "$m" 2>&1 || true)
    plain=$(grep -E "^SUMMARY" <<<"$plain" || echo "no leak reported")
    suppressed=$(grep -E "^SUMMARY" <<<"$suppressed" || echo "no leak reported")
    echo "$name $m: $plain | with lsan.supp: $suppressed"
  done; done
done
