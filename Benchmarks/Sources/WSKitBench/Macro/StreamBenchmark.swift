import Glibc
import Synchronization
import WSKitBenchCore
import WSKitBenchRouter
import WSKitContract
import WSKitPubSub
import WSKitPubSubRedis
import WSKitRedis
import WSKitRouter

/// Topic history (issue 15, docs/recovery.md), wall clock: publishes per second to 1,000
/// subscribers with history off and on — in memory (`publishNow`, inline fan-out) and through a
/// real `redis-server` (each publish awaited: its Lua script, or `PUBLISH`, and the loopback
/// delivery) — and the time to recover 1,000 missed publications (a subscribe from a position
/// 1,000 behind, until the 1,000th replayed frame is handed to the connection), next to one
/// Redis round trip (`PING`) and one read of the same 1,000 kept entries (`LRANGE`: a round trip
/// plus the transfer). History off and on alternate within each round.
enum StreamBenchmark {
    struct Plugins: PubSubInstalled { var pubsub: PubSubPlugin }

    static let subscribers = 1_000

    /// The entries, and notes (why Redis was skipped).
    static func run(duration: Double, rounds: Int) async -> ([BenchEntry], [String]) {
        var entries: [BenchEntry] = []
        var notes: [String] = []
        var memoryRuns: [Bool: [LoadResult]] = [:]
        for _ in 0 ..< rounds {
            for history in [false, true] { memoryRuns[history, default: []].append(await inMemoryPublish(history: history, duration: duration)) }
        }
        for history in [false, true] {
            entries.append(entry("streams.memory.publish1000\(history ? ".history" : "")",
                                 "streams: publish to 1,000 subscribers in memory, history \(history ? "on" : "off")", memoryRuns[history] ?? []))
        }
        let recoveries = await (0 ..< max(rounds, 5)).asyncMap { _ in await recover(adapter: InMemoryPubSubAdapter()) }.compactMap { $0 }
        entries.append(BenchEntry(key: "streams.memory.recover1000", group: "streams",
                                  title: "streams: recover 1,000 missed publications in memory", server: "wskit",
                                  metrics: [Metric(name: "recover_ms", samples: recoveries)]))

        guard Subprocess.output(["redis-server", "--version"]).map({ $0.1 == 0 }) ?? false else {
            return (entries, ["Streams through Redis skipped: redis-server is not installed."])
        }
        var port = 16_479
        while Network.accepts(port: port) { port += 1 }
        guard let server = try? Subprocess(
            ["taskset", "-c", "0", "redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout: .null, stderr: .null), Network.waitForPort(port, process: server, timeout: 10) else {
            return (entries, ["Streams through Redis skipped: redis-server did not start."])
        }
        defer { server.stop(grace: 3) }
        let configuration = RedisConfiguration(port: port)
        var redisRuns: [Bool: [LoadResult]] = [:]
        for round in 0 ..< rounds {
            for history in [false, true] {
                guard let result = await redisPublish(configuration, history: history, round: round, duration: duration) else {
                    notes.append("Streams through Redis: a publish run failed.")
                    continue
                }
                redisRuns[history, default: []].append(result)
            }
        }
        for history in [false, true] {
            entries.append(entry("streams.redis.publish1000\(history ? ".history" : "")",
                                 "streams: publish to 1,000 subscribers through Redis (awaited), history \(history ? "on" : "off")",
                                 redisRuns[history] ?? []))
        }
        var redisRecoveries: [Double] = []
        var roundTrips: [Double] = []
        var reads: [Double] = []
        var scriptReads: [Double] = []
        for round in 0 ..< max(rounds, 5) {
            let prefix = "bench-recover-\(round):"
            if let ms = await recover(adapter: RedisPubSubAdapter(configuration: configuration, channelPrefix: prefix)) {
                redisRecoveries.append(ms)
            }
            if let (trip, read, scriptRead) = await roundTrip(configuration, history: prefix + "~history:recover") {
                roundTrips.append(trip)
                reads.append(read)
                scriptReads.append(scriptRead)
            }
        }
        entries.append(BenchEntry(key: "streams.redis.recover1000", group: "streams",
                                  title: "streams: recover 1,000 missed publications through Redis", server: "wskit",
                                  metrics: [Metric(name: "recover_ms", samples: redisRecoveries), Metric(name: "redis_rtt_ms", samples: roundTrips),
                                            Metric(name: "redis_lrange1000_ms", samples: reads),
                                            Metric(name: "redis_script_read1000_ms", samples: scriptReads)]))
        return (entries, notes)
    }

    static func entry(_ key: String, _ title: String, _ runs: [LoadResult]) -> BenchEntry {
        func metric(_ name: String) -> Metric { Metric(name: name, samples: runs.map { $0[name] }) }
        return BenchEntry(key: key, group: "streams", title: title, server: "wskit",
                          metrics: [metric("publishes_per_s"), metric("deliveries_per_s")])
    }

    /// 1,000 connections subscribed to one topic, each handing its frames to a counter.
    static func subscribed(_ runtime: RouterRuntime<Void, Plugins>) async -> (PubSubBenchmarks.FrameCounter, [RouterConnection<Void, Plugins>]) {
        let transport = PubSubBenchmarks.FrameCounter()
        let connections = (0 ..< subscribers).map { _ in runtime.open(transport, data: ()) }
        for connection in connections { _ = try? await connection.topics.subscribe("bench") }
        return (transport, connections)
    }

    static func plugin(_ adapter: any PubSubAdapter, history: Bool) -> Plugins {
        Plugins(pubsub: PubSubPlugin(adapter: adapter, history: history ? [HistoryRule(prefix: "", size: 2_000)] : []))
    }

    static func inMemoryPublish(history: Bool, duration: Double) async -> LoadResult {
        let runtime = try! Router<Void, Plugins>().build(plugins: plugin(InMemoryPubSubAdapter(), history: history))
        let (transport, connections) = await subscribed(runtime)
        let pubsub = runtime.pubsub
        let message = ChatAck.Payload(roomId: "room-1", length: 12)
        func batch() { for _ in 0 ..< 100 { _ = pubsub.publishNow(ChatAck.self, message, to: "bench") } }
        let warmEnd = Clock.seconds() + 0.2
        while Clock.seconds() < warmEnd { batch() }
        let before = transport.frames.load(ordering: .relaxed), start = Clock.seconds()
        var published = 0
        while Clock.seconds() - start < duration { batch(); published += 100 }
        let elapsed = Clock.seconds() - start
        let delivered = transport.frames.load(ordering: .relaxed) - before
        withExtendedLifetime(connections) {}
        return LoadResult(values: ["publishes_per_s": Double(published) / elapsed, "deliveries_per_s": Double(delivered) / elapsed])
    }

    /// Awaited publishes, one at a time; deliveries counted until every one arrived.
    static func redisPublish(_ configuration: RedisConfiguration, history: Bool, round: Int, duration: Double) async -> LoadResult? {
        let adapter = RedisPubSubAdapter(configuration: configuration, channelPrefix: "bench-\(history ? "h" : "p")\(round):")
        let runtime = try! Router<Void, Plugins>().build(plugins: plugin(adapter, history: history))
        let pubsub = runtime.pubsub
        defer { Task { await pubsub.shutdown() } }
        guard await pubsub.ready(timeout: .seconds(10)) else { return nil }
        let (transport, connections) = await subscribed(runtime)
        let message = ChatAck.Payload(roomId: "room-1", length: 12)
        // Warm-up, until the channel subscription delivers.
        let warmEnd = Clock.seconds() + 0.3
        while Clock.seconds() < warmEnd || transport.frames.load(ordering: .relaxed) == 0 {
            guard (await pubsub.publish(ChatAck.self, message, to: "bench")).isPublished else { return nil }
            if Clock.seconds() > warmEnd + 10 { return nil }
        }
        try? await Task.sleep(for: .milliseconds(100))
        let before = transport.frames.load(ordering: .relaxed), start = Clock.seconds()
        var published = 0
        while Clock.seconds() - start < duration {
            guard (await pubsub.publish(ChatAck.self, message, to: "bench")).isPublished else { return nil }
            published += 1
        }
        let expected = before + published * subscribers
        while transport.frames.load(ordering: .relaxed) < expected, Clock.seconds() - start < duration + 10 {
            try? await Task.sleep(for: .milliseconds(1))
        }
        let elapsed = Clock.seconds() - start
        let delivered = transport.frames.load(ordering: .relaxed) - before
        withExtendedLifetime(connections) {}
        return LoadResult(values: ["publishes_per_s": Double(published) / elapsed, "deliveries_per_s": Double(delivered) / elapsed])
    }

    /// Milliseconds from a subscribe 1,000 publications behind to the 1,000th replayed frame.
    static func recover(adapter: any PubSubAdapter) async -> Double? {
        let runtime = try! Router<Void, Plugins>().build(plugins: plugin(adapter, history: true))
        let pubsub = runtime.pubsub
        defer { Task { await pubsub.shutdown() } }
        guard await pubsub.ready(timeout: .seconds(10)) else { return nil }
        let watcher = runtime.open(PubSubBenchmarks.FrameCounter(), data: ())
        var position = (try? await watcher.topics.subscribe("recover", from: nil))?.position
        if position == nil { position = try? await primed(pubsub, watcher) }
        guard let position else { return nil }
        let message = ChatAck.Payload(roomId: "room-1", length: 12)
        for _ in 0 ..< 1_000 { _ = await pubsub.publish(ChatAck.self, message, to: "recover") }
        let transport = PubSubBenchmarks.FrameCounter()
        let late = runtime.open(transport, data: ())
        let start = Clock.seconds()
        guard let recovery = try? await late.topics.subscribe("recover", from: position), recovery.recovered,
              recovery.replayed == 1_000 else { return nil }
        while transport.frames.load(ordering: .relaxed) < 1_000, Clock.seconds() - start < 10 {
            try? await Task.sleep(for: .microseconds(50))
        }
        let elapsed = (Clock.seconds() - start) * 1_000
        withExtendedLifetime((watcher, late)) {}
        return transport.frames.load(ordering: .relaxed) >= 1_000 ? elapsed : nil
    }

    /// A stream that was never published to has no position yet: publish once and read it.
    static func primed(_ pubsub: PubSub<Void, Plugins>, _ watcher: RouterConnection<Void, Plugins>) async throws(PubSubError) -> StreamPosition? {
        _ = await pubsub.publish(ChatAck.self, .init(roomId: "room-1", length: 12), to: "recover")
        _ = watcher.topics.unsubscribe("recover")
        return try await watcher.topics.subscribe("recover", from: nil).position
    }

    /// The fastest of 20 Redis round trips (`PING`), of 20 reads of the 1,000 entries kept in
    /// `history` (`LRANGE`), and of 20 reads of them inside a Lua script (`EVAL` returning the same
    /// `LRANGE`: what the atomic history read pays on top, Redis turning each entry into a Lua
    /// string and back), in milliseconds.
    static func roundTrip(_ configuration: RedisConfiguration, history: String) async -> (Double, Double, Double)? {
        let connection = RedisConnection(configuration: configuration)
        defer { connection.close() }
        for _ in 0 ..< 100 where (try? await connection.ping()) == nil { try? await Task.sleep(for: .milliseconds(20)) }
        let script = RedisScript("return redis.call('LRANGE', KEYS[1], -1000, -1)")
        var ping = Double.infinity, read = Double.infinity, scriptRead = Double.infinity
        for _ in 0 ..< 20 {
            var start = Clock.seconds()
            guard (try? await connection.ping()) != nil else { return nil }
            ping = min(ping, (Clock.seconds() - start) * 1_000)
            start = Clock.seconds()
            guard (try? await connection.send(["LRANGE", RedisArgument(history), "-1000", "-1"])) != nil else { return nil }
            read = min(read, (Clock.seconds() - start) * 1_000)
            start = Clock.seconds()
            guard (try? await connection.evaluate(script, keys: [RedisArgument(history)])) != nil else { return nil }
            scriptRead = min(scriptRead, (Clock.seconds() - start) * 1_000)
        }
        return (ping, read, scriptRead)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
