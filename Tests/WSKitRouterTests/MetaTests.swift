import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Server-only meta can never be spoofed; outbound messages carry the server's clock.
@Suite struct MetaTests {
    @Test func clientCannotSpoofClientIdOrReceivedAt() async throws {
        let seen = EventLog()
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            seen.append("clientId=\(ctx.clientId)")
            seen.append("receivedAt=\(ctx.receivedAt)")
            seen.append("meta.clientId=\(ctx.meta["clientId"]?.stringValue ?? "absent")")
            seen.append("meta.receivedAt=\(ctx.meta["receivedAt"].map(String.init(describing:)) ?? "absent")")
        }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session(), clientId: "real-id")
        await harness.advance(by: .milliseconds(500))
        try await client.send(Ping.self, .init(text: "x"), meta: ["clientId": "admin", "receivedAt": 1])
        #expect(seen.all == [
            "clientId=real-id", "receivedAt=\(harness.clock.nowMs)", "meta.clientId=absent", "meta.receivedAt=absent",
        ])
        #expect(client.errors.isEmpty)
        try await harness.finish()
    }

    @Test func outboundMessagesCarryTheRouterClocksTimestamp() async throws {
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            // A handler cannot override the server's timestamp or invent a correlation id.
            ctx.send(Pong.self, .init(text: "p"), meta: ["timestamp": 1, "correlationId": "forged", "tag": "kept"])
        }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "1"), meta: ["timestamp": 42])
        await harness.advance(by: .milliseconds(250))
        try await client.send(Ping.self, .init(text: "2"))
        let frames = client.frames
        #expect(frames.map(\.timestamp) == [harness.clock.nowMs - 250, harness.clock.nowMs])
        #expect(frames.allSatisfy { $0.correlationId == nil && $0.meta["tag"] == "kept" })
        try await harness.finish()
    }

    @Test func errorFramesCarryTheTimestampToo() async throws {
        let harness = try TestHarness(Router<Session, NoPlugins>())
        let client = await harness.connect(data: Session())
        await client.sendText("not json")
        #expect(client.frames.first?.timestamp == harness.clock.nowMs)
        try await harness.finish()
    }

    @Test func inheritedCorrelationIdIsOptIn() async throws {
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            ctx.send(Pong.self, .init(text: "plain"))
            ctx.send(Pong.self, .init(text: "inherited"), inheritCorrelationId: true)
        }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"), meta: ["correlationId": "c-7"])
        #expect(client.frames.map(\.correlationId) == [nil, "c-7"])
        try await harness.finish()
    }
}
