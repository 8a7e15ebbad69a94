import Synchronization
import Testing
import WSKit
@testable import WSKitClient
import WSKitLiveFixtures
import WSKitPubSubRedis
import WSKitRedis

/// The proof of issue 15: 10,000 numbered publications while Swift clients have their sockets
/// cut at random moments and reconnect by themselves; every client receives every number
/// exactly once and in order — in process on one server, through Redis with clients spread
/// over two server instances, and through Redis with two `wskit-scaleout` processes that the
/// clients move between on every reconnect (``WebSocketClientConfiguration/alternateURLs``).
@Suite(.serialized) struct RecoveryProofTests {
    struct Numbered: Message {
        struct Payload: Codable, Sendable, Equatable { var n: Int }
        static let type = "NUMBERED"
    }

    struct Plugins: PubSubInstalled {
        var pubsub: PubSubPlugin
    }

    /// One server instance: clients subscribe themselves to topics with history.
    final class Instance: Sendable {
        let runtime: RouterRuntime<Void, Plugins>
        private let server: WebSocketServer<RouterSession<Void, Plugins>>

        init(adapter: any PubSubAdapter) throws {
            let plugin = PubSubPlugin(adapter: adapter, history: [HistoryRule(prefix: "proof:", size: 20_000)], clientSubscriptions: true)
            runtime = try Router<Void, Plugins>().build(plugins: Plugins(pubsub: plugin))
            var configuration = ServerConfiguration(port: 0, loopCount: 2)
            configuration.shutdownTimeout = .milliseconds(300)
            configuration.logger = NoLogger()
            server = WebSocketServer(configuration: configuration, router: runtime) { _ in .accept(()) }
            try server.start()
        }

        var url: String { "ws://127.0.0.1:\(server.port)/ws" }

        func stop() { server.shutdown() }
    }

    /// A client and what it saw.
    final class Watcher: Sendable {
        let client: WebSocketClient
        let numbers = Recorder<Int>()
        let events = Recorder<TopicSubscriptionEvent>()
        let cuts = Atomic<Int>(0)
        /// The URL of each connection that opened.
        let opened = Recorder<WebSocketURL>()
        private let watcher: Task<Void, Never>
        private let stateWatcher: Task<Void, Never>

        init(url: String, alternates: [String] = []) throws {
            var configuration = WebSocketClientConfiguration(url: try WebSocketURL(url))
            configuration.alternateURLs = try alternates.map { try WebSocketURL($0) }
            configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(5), maxDelay: .milliseconds(50))
            let client = WebSocketClient(configuration: configuration)
            self.client = client
            let numbers = numbers
            let events = events
            _ = client.on(Numbered.self) { numbers.append($0.payload.n) }
            watcher = Task { for await event in client.topicEvents() { events.append(event) } }
            let opened = opened
            stateWatcher = Task { [weak client] in
                guard let states = client?.states else { return }
                for await state in states where state == .open {
                    if let url = client?.currentURL { opened.append(url) }
                }
            }
        }

        /// Closes the socket under the client (it reconnects by itself).
        func cut() {
            cuts.add(1, ordering: .relaxed)
            client.core.withLock { $0.connection }?.abort()
        }

        deinit {
            watcher.cancel()
            stateWatcher.cancel()
        }
    }

    func prove(_ instances: [Instance], publish: @escaping @Sendable (Int) async -> PublishResult) async throws {
        _ = try await prove(urls: instances.map(\.url), rotating: false, publish: publish)
    }

    /// Six clients, spread over `urls`; with `rotating`, each has the others as alternate URLs and
    /// moves to the next one on every reconnect. Returns the watchers (closed).
    @discardableResult
    func prove(
        urls: [String], rotating: Bool, publish: @escaping @Sendable (Int) async -> PublishResult
    ) async throws -> [Watcher] {
        let total = 10_000
        var watchers: [Watcher] = []
        for index in 0 ..< 6 {
            let first = index % urls.count
            let rotation = Array(urls[first...] + urls[..<first])
            let watcher = try Watcher(url: rotation[0], alternates: rotating ? Array(rotation.dropFirst()) : [])
            watcher.client.subscribe(topic: "proof:numbers")
            try await watcher.client.connect()
            watchers.append(watcher)
        }
        for watcher in watchers { #expect(await eventually { watcher.events.count >= 1 }) }

        let failures = Atomic<Int>(0)
        let publisher = Task {
            for n in 1 ... total {
                if !(await publish(n)).isPublished { failures.add(1, ordering: .relaxed) }
                if n % 200 == 0 { try? await Task.sleep(for: .milliseconds(2)) }
            }
        }
        let cutter = Task { [watchers] in
            var generator = SystemRandomNumberGenerator()
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 5 ... 40, using: &generator)))
                watchers.randomElement(using: &generator)?.cut()
            }
        }
        await publisher.value
        cutter.cancel()
        _ = await cutter.value
        #expect(failures.load(ordering: .relaxed) == 0)

        let expected = Array(1 ... total)
        for watcher in watchers {
            let complete = await eventually(timeout: 60) { watcher.numbers.count >= total }
            let numbers = watcher.numbers.all
            let unrecovered = watcher.events.all.dropFirst().filter { !$0.recovered }
            #expect(unrecovered.isEmpty, "recovered:false after a cut: \(unrecovered.prefix(3))")
            let exact = numbers == expected
            let firstWrong = zip(numbers, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
            let missing = Set(expected).subtracting(numbers).sorted()
            let near = watcher.events.all.filter { event in
                guard let offset = event.position?.offset, let gap = missing.first else { return false }
                return abs(Int(offset) - gap) < 50
            }
            let failure = "\(numbers.count) numbers, first wrong at index \(firstWrong), missing \(missing.prefix(5)), answers near: \(near)"
            #expect(complete)
            #expect(exact, "\(failure)")
        }
        let cuts = watchers.map { $0.cuts.load(ordering: .relaxed) }
        let resubscribes = watchers.map { $0.events.count - 1 }
        #expect(cuts.reduce(0, +) >= 6, "cuts per client: \(cuts)")
        #expect(resubscribes.reduce(0, +) >= 6, "recovering resubscribes per client: \(resubscribes)")
        for watcher in watchers { await watcher.client.close() }
        return watchers
    }

    @Test func inProcessEveryNumberOnceAndInOrderAcrossRandomCuts() async throws {
        let instance = try Instance(adapter: InMemoryPubSubAdapter())
        defer { instance.stop() }
        let pubsub = instance.runtime.pubsub
        try await prove([instance]) { n in pubsub.publishNow(Numbered.self, .init(n: n), to: "proof:numbers") }
    }

    @Test func throughRedisWithClientsOnTwoInstancesEveryNumberOnceAndInOrder() async throws {
        let redis = try await RedisServerProcess()
        let configuration = RedisAdapterTests.configuration(redis)
        let first = try Instance(adapter: RedisPubSubAdapter(configuration: configuration, channelPrefix: "proof:"))
        let second = try Instance(adapter: RedisPubSubAdapter(configuration: configuration, channelPrefix: "proof:"))
        defer {
            first.stop()
            second.stop()
        }
        #expect(await first.runtime.pubsub.ready(timeout: .seconds(10)))
        #expect(await second.runtime.pubsub.ready(timeout: .seconds(10)))
        let (a, b) = (first.runtime.pubsub, second.runtime.pubsub)
        // One publisher alternating instances, each publish acknowledged: the stream's order is
        // the numbers' order.
        try await prove([first, second]) { n in
            await (n % 2 == 0 ? a : b).publish(Numbered.self, .init(n: n), to: "proof:numbers")
        }
        await a.shutdown()
        await b.shutdown()
    }

    /// `wskit-scaleout --history proof:=20000` on a free port, once it is READY.
    static func process(_ name: String, redisPort: Int) async throws -> (ChildProcess, String) {
        let port = freePort()
        let process = try ChildProcess(
            try builtExecutable("wskit-scaleout"),
            ["--port", "\(port)", "--redis-port", "\(redisPort)", "--instance", name, "--loops", "2", "--history", "proof:=20000"])
        try await process.waitForLine("READY \(port)") { $0.contains("READY \(port)") }
        return (process, "ws://127.0.0.1:\(port)/ws")
    }

    @Test func throughRedisWithClientsMovingBetweenTwoProcessesEveryNumberOnceAndInOrder() async throws {
        let redis = try await RedisServerProcess()
        let (east, eastURL) = try await Self.process("east", redisPort: redis.port)
        let (west, westURL) = try await Self.process("west", redisPort: redis.port)
        defer {
            east.terminate()
            west.terminate()
        }
        // The publisher is a third instance on the same Redis (same channel prefix and rule).
        let publisher = try Instance(adapter: RedisPubSubAdapter(configuration: RedisAdapterTests.configuration(redis)))
        defer { publisher.stop() }
        let pubsub = publisher.runtime.pubsub
        #expect(await pubsub.ready(timeout: .seconds(10)))
        // (This found a real gap: a recovery on an instance whose last other subscriber left
        // meanwhile dropped the instance's channel interest until the join. Recoveries now hold
        // the topic — TopicIndex.pin — until the connection has joined.)
        let watchers = try await prove(urls: [eastURL, westURL], rotating: true) { n in
            await pubsub.publish(Numbered.self, .init(n: n), to: "proof:numbers")
        }
        // Every reconnect moved the client to the other process: each client that was cut
        // opened on both.
        let both = Set([try WebSocketURL(eastURL), try WebSocketURL(westURL)])
        for watcher in watchers where watcher.cuts.load(ordering: .relaxed) > 0 {
            #expect(Set(watcher.opened.all) == both, "a cut client opened on \(Set(watcher.opened.all))")
        }
        await pubsub.shutdown()
    }
}
