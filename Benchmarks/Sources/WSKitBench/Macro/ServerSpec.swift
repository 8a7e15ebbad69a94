/// A server under test: how to start it on a port, and whether it is WSKit's own.
struct ServerSpec {
    /// The column name (`wskit`, `vapor`, `hummingbird`, `flyingfox`, `node-ws`).
    let name: String
    /// The command line for a port (run from the repository root, pinned with taskset).
    let command: (Int) -> [String]
    /// Why it cannot run here, if it cannot (not built, node missing…).
    let unavailable: String?

    /// WSKit's echo server (`wskit-echo`, one event loop: the server is pinned to one core).
    static func wskit(_ paths: Paths) -> ServerSpec {
        let exe = paths.wskitEcho
        return ServerSpec(name: "wskit", command: { [exe, "--port", String($0), "--loops", "1"] },
                          unavailable: FileIO.isExecutable(exe) ? nil : "\(exe) is not built")
    }

    /// WSKit hosting a router with a typed RPC (`wskit-bench serve rpc`).
    static func wskitRPC() -> ServerSpec {
        let exe = Paths.executable
        return ServerSpec(name: "wskit", command: { [exe, "serve", "rpc", "--port", String($0), "--loops", "1"] }, unavailable: nil)
    }

    /// WSKit hosting a router with pub/sub and presence (`wskit-bench serve fanout`).
    static func wskitFanOut() -> ServerSpec {
        let exe = Paths.executable
        return ServerSpec(name: "wskit", command: { [exe, "serve", "fanout", "--port", String($0), "--loops", "1"] }, unavailable: nil)
    }

    /// The peers of Benchmarks/Peers, in column order.
    static func peers(_ paths: Paths) -> [ServerSpec] {
        var specs: [ServerSpec] = []
        for name in ["vapor", "hummingbird", "flyingfox"] {
            let exe = paths.peersBin + "/peer-" + name
            specs.append(ServerSpec(
                name: name, command: { [exe, "--port", String($0)] },
                unavailable: FileIO.isExecutable(exe) ? nil : "not built (Benchmarks/scripts/build-peers.sh)"))
        }
        let script = paths.root + "/Benchmarks/Peers/node-ws/server.js"
        let hasNode = Subprocess.output(["node", "--version"]).map { $0.1 == 0 } ?? false
        let hasWS = FileIO.exists("/usr/share/nodejs/ws/package.json")
        specs.append(ServerSpec(
            name: "node-ws", command: { ["node", script, "--port", String($0)] },
            unavailable: hasNode && hasWS ? nil : "node or Debian's node-ws is not installed (Benchmarks/scripts/build-peers.sh)"))
        return specs
    }
}
