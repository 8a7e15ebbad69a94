import Testing
import WSKit
import WSKitLiveFixtures
@testable import WSKitClient

/// A published message with a number.
struct Numbered: Message {
    struct Payload: Codable, Sendable, Equatable { var n: Int }
    static let type = "NUMBERED"
}

struct StreamPlugins: PubSubInstalled {
    var pubsub = PubSubPlugin(history: [HistoryRule(prefix: "room:", size: 10_000)], clientSubscriptions: true)
}

/// A WSKit server whose clients subscribe to topics with history themselves.
final class StreamServer: Sendable {
    let runtime: RouterRuntime<Void, StreamPlugins>
    private let server: WebSocketServer<RouterSession<Void, StreamPlugins>>

    init() throws {
        runtime = try Router<Void, StreamPlugins>().build(plugins: StreamPlugins())
        var configuration = ServerConfiguration(port: 0, loopCount: 2)
        configuration.shutdownTimeout = .milliseconds(300)
        configuration.logger = NoLogger()
        server = WebSocketServer(configuration: configuration, router: runtime) { _ in .accept(()) }
        try server.start()
    }

    var url: String { "ws://127.0.0.1:\(server.port)/ws" }

    func publish(_ n: Int, to topic: String = "room:1") {
        _ = runtime.pubsub.publishNow(Numbered.self, .init(n: n), to: topic)
    }

    deinit {
        let server = self.server
        inBackground { server.shutdown() }
    }
}

@Suite("WebSocketClient: topic subscriptions recover after reconnects")
struct TopicRecoveryTests {
    func makeClient(_ server: StreamServer) throws -> WebSocketClient {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(server.url))
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100))
        return WebSocketClient(configuration: configuration)
    }

    @Test("the client resubscribes from its last offset after every reconnect: every number once, in order")
    func recoversAcrossReconnects() async throws {
        let server = try StreamServer()
        let client = try makeClient(server)
        let numbers = Recorder<Int>()
        let events = Recorder<TopicSubscriptionEvent>()
        _ = client.on(Numbered.self) { numbers.append($0.payload.n) }
        let watcher = Task { for await event in client.topicEvents() { events.append(event) } }
        client.subscribe(topic: "room:1")   // offline: sent when the connection opens
        try await client.connect()
        #expect(await eventually { events.count == 1 })
        #expect(events.all.first?.recovered == false)   // a first subscription has nothing to recover

        var next = 1
        for round in 1 ... 5 {
            for _ in 0 ..< 20 { server.publish(next); next += 1 }
            #expect(await eventually { numbers.count == next - 1 })
            // The socket dies under the client; the server publishes while it is away.
            client.core.withLock { $0.connection }?.abort()
            for _ in 0 ..< 20 { server.publish(next); next += 1 }
            #expect(await eventually { events.count == round + 1 })
            #expect(events.all.last?.recovered == true)
            #expect(await eventually { numbers.count == next - 1 })
        }
        server.publish(next)
        #expect(await eventually { numbers.count == next })
        #expect(numbers.all == Array(1 ... next))
        #expect(client.position(of: "room:1")?.offset == UInt64(next))
        watcher.cancel()
        await client.close()
    }

    @Test("a refused or unknown position is answered recovered: false; unsubscribe stops delivery")
    func unrecoverableAndUnsubscribe() async throws {
        let server = try StreamServer()
        let client = try makeClient(server)
        let numbers = Recorder<Int>()
        let events = Recorder<TopicSubscriptionEvent>()
        _ = client.on(Numbered.self) { numbers.append($0.payload.n) }
        let watcher = Task { for await event in client.topicEvents() { events.append(event) } }
        try await client.connect()
        client.subscribe(topic: "room:2")
        #expect(await eventually { events.count == 1 })
        server.publish(1, to: "room:2")
        #expect(await eventually { numbers.count == 1 })
        client.unsubscribe(topic: "room:2")
        #expect(await eventually { server.runtime.pubsub.subscriberCount(of: "room:2") == 0 })
        server.publish(2, to: "room:2")
        try await Task.sleep(for: .milliseconds(50))
        #expect(numbers.all == [1])
        #expect(client.position(of: "room:2") == nil)
        watcher.cancel()
        await client.close()
    }
}
