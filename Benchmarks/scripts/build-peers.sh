#!/usr/bin/env bash
# Builds the peer servers WSKit is benchmarked against (Benchmarks/Peers) in release mode, installs
# Debian's node-ws for the Node peer if it is missing, and builds the wsload load generator.
#
#   Benchmarks/scripts/build-peers.sh            # from anywhere inside the repo
#
# Binaries: Benchmarks/Peers/.build/release/peer-{vapor,hummingbird,flyingfox};
# Node peer: node Benchmarks/Peers/node-ws/server.js; load generator: $WSLOAD (default /tmp/wsload).
# peer-vapor and peer-hummingbird serve wss:// with `--tls-cert PEM --tls-key PEM` (NIOSSL), for
# Benchmarks/tls/run.sh. The first build compiles Vapor, Hummingbird, SwiftNIO and swift-nio-ssl's
# BoringSSL: 10 to 30 minutes on 2 shared cores.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

# Node `ws` (Debian's package puts it under /usr/share/nodejs).
if ! command -v node >/dev/null 2>&1 || [ ! -e /usr/share/nodejs/ws/package.json ]; then
    echo "build-peers: installing node-ws" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nodejs node-ws
fi

# wsload, from the shared perf folder beside the repo.
WSLOAD="${WSLOAD:-/tmp/wsload}"
src="../shared/perf/wsload.c"
if [ -f "$src" ] && { [ ! -x "$WSLOAD" ] || [ "$src" -nt "$WSLOAD" ]; }; then
    echo "build-peers: building $WSLOAD" >&2
    gcc -O2 -Wall -o "$WSLOAD" "$src" -lpthread
fi

echo "build-peers: swift build -c release (Benchmarks/Peers)" >&2
nice -n 10 swift build -c release \
    --package-path Benchmarks/Peers \
    --scratch-path Benchmarks/Peers/.build "$@"

bin="$(swift build -c release --package-path Benchmarks/Peers --scratch-path Benchmarks/Peers/.build --show-bin-path)"
for p in peer-vapor peer-hummingbird peer-flyingfox; do
    test -x "$bin/$p" && echo "$bin/$p"
done
echo "node $root/Benchmarks/Peers/node-ws/server.js"
