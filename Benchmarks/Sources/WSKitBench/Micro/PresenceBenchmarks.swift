import CWSKitBenchSupport
import WSKitBenchCore
import WSKit
import WSKitContract
import WSKitPresence
import WSKitRouter

/// Micro benchmarks of presence (in process, the in-memory store, a transport that counts
/// frames): a join + leave, a meta update reaching 1,000 presence subscribers, and heap bytes per
/// tracked connection with 10,000 in one room.
enum PresenceBenchmarks {
    struct Plugins: PresenceInstalled {
        var presence = PresencePlugin()
    }

    static func open(_ count: Int) -> (RouterRuntime<Void, Plugins>, [RouterConnection<Void, Plugins>], PubSubBenchmarks.FrameCounter) {
        let runtime = try! Router<Void, Plugins>().build(plugins: Plugins())
        let transport = PubSubBenchmarks.FrameCounter()
        let connections = (0 ..< count).map { _ in runtime.open(transport, data: ()) }
        return (runtime, connections, transport)
    }

    static let meta: JSONObject = ["name": "Ada Lovelace", "device": "laptop", "status": "online"]

    static func all() -> [MicroBenchmark] {
        [
            MicroBenchmark(name: "presence.joinleave", title: "presence: track + untrack one connection (in memory)") {
                let (_, connections, _) = open(1)
                let presence = ConnectionPresence(connection: connections[0])
                return { n in
                    for _ in 0 ..< n {
                        _ = try! await presence.track("room-1", key: "ada", meta: meta)
                        if await !presence.untrack("room-1") { fatalError("presence.joinleave: not tracked") }
                    }
                }
            },
            MicroBenchmark(name: "presence.update1000", title: "presence: a meta update reaching 1,000 presence subscribers") {
                let (_, connections, transport) = open(1000)
                for connection in connections { _ = try! await ConnectionPresence(connection: connection).subscribe("big") }
                let presence = ConnectionPresence(connection: connections[0])
                _ = try! await presence.track("big", key: "ada", meta: meta)
                return { n in
                    let before = transport.frames.load(ordering: .relaxed)
                    for _ in 0 ..< n { _ = try! await presence.update("big", meta: meta) }
                    let delivered = transport.frames.load(ordering: .relaxed) - before
                    if delivered != n * 1000 { fatalError("presence.update1000: \(delivered) diffs for \(n) updates") }
                }
            },
        ]
    }

    /// Heap bytes per tracked connection: 10,000 connections tracked in one room with a
    /// three-field meta (the store's record and the hub's local entry together).
    static func memoryEntry() async -> BenchEntry {
        let (_, connections, _) = open(10_000)
        let before = cwskit_bench_heap_in_use()
        for (index, connection) in connections.enumerated() {
            _ = try? await ConnectionPresence(connection: connection).track(
                "big", key: "user-\(index)", meta: ["name": .string("User \(index)"), "device": "web", "status": "online"])
        }
        let after = cwskit_bench_heap_in_use()
        let perConnection = Double(Int(after) - Int(before)) / Double(connections.count)
        withExtendedLifetime(connections) {}
        return BenchEntry(
            key: "micro.presence.memory", group: "micro", title: "presence: heap bytes per tracked connection (10,000 in one room)",
            server: "wskit", metrics: [Metric(name: "bytes_per_connection", value: perConnection)])
    }
}
