/// One load on one kind of server, run against every server it applies to.
import WSKitBenchCore
struct Scenario {
    /// What is measured.
    enum Kind {
        /// Echo round trips (text or binary, or the RPC envelope).
        case echo
        /// Typed RPC round trips against `wskit-bench serve rpc`.
        case rpc
        /// One sender, many subscribers on `/bcast`.
        case broadcast
        /// One sender, many subscribers against `wskit-bench serve fanout`: a pub/sub broadcast
        /// (`/bcast`) or a presence diff (`/presence`) per message, same process, same load.
        case fanout(presence: Bool)
        /// Idle connections held, spread over `processes` server processes (and as many
        /// generator processes), for counts beyond one process's open-file limit.
        case hold(processes: Int)
    }

    /// The report key.
    let key: String
    /// The table group (`echo`, `rpc`, `bcast`, `hold`).
    let group: String
    /// The table title.
    let title: String
    let kind: Kind
    /// Connections (subscribers for broadcast).
    let conns: Int
    /// Messages in flight per connection (broadcasts in flight).
    let inflight: Int
    /// Payload bytes.
    let size: Int
    let binary: Bool
    /// Send the RPC envelope instead of plain bytes (raw echo of the RPC's frames).
    let envelope: Bool
    /// Only WSKit runs it.
    let wskitOnly: Bool

    /// The generator's arguments (without port and pids).
    func loadArguments(duration: Double, warmup: Double) -> [String] {
        var args: [String]
        switch kind {
        case .echo, .rpc: args = ["echo"]
        case .broadcast: args = ["bcast"]
        case .fanout(let presence): args = presence ? ["bcast", "--path", "/presence", "--find-marker"] : ["bcast"]
        case .hold: args = ["hold", "--gate"]
        }
        args += ["--conns", String(conns), "--inflight", String(inflight), "--size", String(size),
                 "--duration", String(duration), "--warmup", String(warmup), "--label", key]
        if binary { args.append("--binary") }
        if envelope { args.append("--envelope") }
        return args
    }

    static func echo(size: Int, binary: Bool, conns: Int, inflight: Int) -> Scenario {
        let what = binary ? "binary\(size / 1024)k" : "text\(size)"
        let label = binary ? "\(size / 1024) KiB binary" : "\(size) B text"
        return Scenario(
            key: "echo.\(what).c\(conns).k\(inflight)", group: "echo",
            title: "echo \(label), \(NumberFormat.grouped(conns)) conns, \(inflight) in flight",
            kind: .echo, conns: conns, inflight: inflight, size: size, binary: binary, envelope: false, wskitOnly: false)
    }

    /// The typed RPC and, as its baseline, wskit-echo echoing the very same frames.
    static func rpcPair(conns: Int, inflight: Int) -> [Scenario] {
        let suffix = "c\(conns).k\(inflight)"
        let load = "\(NumberFormat.grouped(conns)) conns, \(inflight) in flight"
        return [
            Scenario(key: "rpc.raw.\(suffix)", group: "echo", title: "raw echo of the RPC frame (wskit-echo), \(load)",
                     kind: .echo, conns: conns, inflight: inflight, size: 32, binary: false, envelope: true, wskitOnly: true),
            Scenario(key: "rpc.typed.\(suffix)", group: "rpc", title: "typed RPC round trip (router + RPC plugin), \(load)",
                     kind: .rpc, conns: conns, inflight: inflight, size: 32, binary: false, envelope: true, wskitOnly: true),
        ]
    }

    /// One sender publishing to `subscribers` on `/bcast`, with `inflight` broadcasts outstanding
    /// (with more than one, a server can write several broadcasts to a subscriber at once).
    static func broadcast(subscribers: Int, inflight: Int) -> Scenario {
        Scenario(key: inflight == 1 ? "bcast.c\(subscribers)" : "bcast.c\(subscribers).k\(inflight)", group: "bcast",
                 title: "broadcast to \(NumberFormat.grouped(subscribers)) subscribers (/bcast), 32 B, \(inflight) in flight",
                 kind: .broadcast, conns: subscribers, inflight: inflight, size: 32, binary: false, envelope: false, wskitOnly: false)
    }

    /// The same sender and subscribers against one router with pub/sub and presence: a pub/sub
    /// broadcast per message, or a presence diff (the sender's meta update) per message.
    static func fanoutPair(subscribers: Int) -> [Scenario] {
        let count = NumberFormat.grouped(subscribers)
        return [
            Scenario(key: "fanout.pubsub.c\(subscribers)", group: "fanout",
                     title: "pub/sub broadcast to \(count) subscribers (serve fanout, /bcast), 1 in flight",
                     kind: .fanout(presence: false), conns: subscribers, inflight: 1, size: 32, binary: false, envelope: false,
                     wskitOnly: true),
            Scenario(key: "fanout.presence.c\(subscribers)", group: "fanout",
                     title: "presence diff to \(count) presence subscribers (serve fanout, /presence), 1 in flight",
                     kind: .fanout(presence: true), conns: subscribers, inflight: 1, size: 32, binary: false, envelope: false,
                     wskitOnly: true),
        ]
    }

    static func hold(_ conns: Int, processes: Int = 1, wskitOnly: Bool = false) -> Scenario {
        let across = processes > 1 ? " (\(processes) server processes)" : ""
        return Scenario(key: "hold.c\(conns)", group: "hold",
                        title: "\(NumberFormat.grouped(conns)) idle connections held\(across)",
                        kind: .hold(processes: processes), conns: conns, inflight: 1, size: 0, binary: false, envelope: false,
                        wskitOnly: wskitOnly)
    }

    /// The scenarios of quick and full mode.
    static func list(full: Bool) -> [Scenario] {
        if !full {
            return [
                echo(size: 32, binary: false, conns: 100, inflight: 1),
                echo(size: 16384, binary: true, conns: 100, inflight: 1),
            ] + rpcPair(conns: 100, inflight: 16) + [
                broadcast(subscribers: 1000, inflight: 1),
                broadcast(subscribers: 1000, inflight: 4),
            ] + fanoutPair(subscribers: 1000) + [
                hold(10_000),
            ]
        }
        var list: [Scenario] = []
        for (size, binary) in [(32, false), (16384, true)] {
            for conns in [100, 1000] {
                for inflight in [1, 16] { list.append(echo(size: size, binary: binary, conns: conns, inflight: inflight)) }
            }
        }
        list += rpcPair(conns: 100, inflight: 1) + rpcPair(conns: 100, inflight: 16) + rpcPair(conns: 1000, inflight: 16)
        list.append(broadcast(subscribers: 1000, inflight: 1))
        list.append(broadcast(subscribers: 1000, inflight: 4))
        list += fanoutPair(subscribers: 1000)
        list.append(hold(10_000))
        list.append(hold(50_000, processes: 3, wskitOnly: true))
        return list
    }
}
