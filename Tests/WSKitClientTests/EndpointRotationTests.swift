import Testing
import WSKit
import WSKitLiveFixtures
@testable import WSKitClient

@Suite("WebSocketClient: alternate URLs, tried in rotation")
struct EndpointRotationTests {
    func makeClient(_ url: String, alternates: [String]) throws -> WebSocketClient {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL(url))
        configuration.alternateURLs = try alternates.map { try WebSocketURL($0) }
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        return WebSocketClient(configuration: configuration)
    }

    @Test("each reconnect goes to the next URL, and the subscription follows with its position")
    func reconnectsMoveBetweenServers() async throws {
        let first = try StreamServer()
        let second = try StreamServer()
        let client = try makeClient(first.url, alternates: [second.url])
        #expect(client.configuration.endpoints == [try WebSocketURL(first.url), try WebSocketURL(second.url)])
        let numbers = Recorder<Int>()
        let events = Recorder<TopicSubscriptionEvent>()
        _ = client.on(Numbered.self) { numbers.append($0.payload.n) }
        let watcher = Task { for await event in client.topicEvents() { events.append(event) } }
        client.subscribe(topic: "room:1")
        #expect(client.currentURL == nil)
        try await client.connect()
        #expect(client.currentURL == (try WebSocketURL(first.url)))
        #expect(await eventually { events.count == 1 })

        for (round, server) in [second, first, second].enumerated() {
            client.core.withLock { $0.connection }?.abort()
            #expect(await eventually { events.count == round + 2 })
            #expect(client.currentURL == (try WebSocketURL(server.url)))
            // Two in-memory servers have separate streams: the position of the other one does
            // not recover here (with Redis it does: RecoveryProofTests).
            #expect(events.all.last?.recovered == false)
            server.publish(round)
            #expect(await eventually { numbers.count == round + 1 })
        }
        #expect(numbers.all == [0, 1, 2])
        watcher.cancel()
        await client.close()
    }

    @Test("a URL that refuses connections is skipped: connect() opens on the next one")
    func failsOverToTheNextURL() async throws {
        let live = try StreamServer()
        let dead = "ws://127.0.0.1:\(freePort())/ws"
        let client = try makeClient(dead, alternates: [live.url])
        try await client.connect()
        #expect(client.currentURL == (try WebSocketURL(live.url)))
        #expect(client.isConnected)
        await client.close()
    }

    @Test("without alternate URLs every attempt goes to the URL")
    func oneURLStays() async throws {
        let server = try StreamServer()
        let client = try makeClient(server.url, alternates: [])
        let opens = Recorder<WebSocketURL?>()
        let watcher = Task { for await state in client.states where state == .open { opens.append(client.currentURL) } }
        try await client.connect()
        for round in 1 ... 3 {
            client.core.withLock { $0.connection }?.abort()
            #expect(await eventually { opens.count == round + 1 })
        }
        #expect(opens.all == Array(repeating: try WebSocketURL(server.url), count: 4))
        watcher.cancel()
        #expect(client.configuration.endpoints.count == 1)
        await client.close()
    }
}
