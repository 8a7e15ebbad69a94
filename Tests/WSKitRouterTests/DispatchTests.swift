import Testing
import WSKitContract
import WSKitMessaging
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Inbound frames: typed dispatch, and every way a frame is refused without running a handler or
/// closing the connection.
@Suite struct DispatchTests {
    /// A router echoing PING as PONG and counting handler runs.
    static func echoRouter(runs: EventLog = EventLog()) -> Router<Session, MessagingPlugins> {
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            runs.append(ctx.payload.text)
            ctx.send(Pong.self, .init(text: "pong: \(ctx.payload.text)"))
        }
        router.on(JoinRoom.self) { ctx in
            runs.append("join \(ctx.payload.room)")
            ctx.assignData(\.room, ctx.payload.room)
        }
        router.on(Leave.self) { _ in runs.append("leave") }
        router.on(Traced.self) { ctx in runs.append("traced \(ctx.meta["traceId"]?.stringValue ?? "-")") }
        return router
    }

    @Test func typedHandlerGetsDecodedPayloadAndAnswers() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "hi"))
        #expect(runs.all == ["hi"])
        #expect(try client.messages(Pong.self) == [.init(text: "pong: hi")])
        try await harness.finish()
    }

    @Test func binaryFrameCarryingAnEnvelopeIsDispatched() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendBinary(Array(#"{"type":"PING","payload":{"text":"bin"}}"#.utf8))
        #expect(runs.all == ["bin"])
        #expect(try client.messages(Pong.self) == [.init(text: "pong: bin")])
        try await harness.finish()
    }

    @Test func messageWithoutPayloadIsDispatched() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.send(Leave.self)
        #expect(runs.all == ["leave"])
        #expect(client.frames.isEmpty)
        try await harness.finish()
    }

    @Test func malformedJSONIsAnsweredAndTheConnectionStaysOpen() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"PING","payload":{"text":"x"}"#)
        let frame = try #require(client.frames.first)
        #expect(frame.type == "ERROR")
        #expect(frame.wireError?.code == .invalidArgument)
        #expect(frame.wireError?.message.hasPrefix("Malformed JSON") == true)
        #expect(runs.all.isEmpty)
        #expect(!client.isClosed)
        #expect(harness.errors.map(\.phase) == [.decode])
        try await client.send(Ping.self, .init(text: "after"))
        #expect(runs.all == ["after"])
        try await harness.finish()
    }

    @Test(arguments: [
        #"[1,2]"#,
        #"{"meta":{}}"#,
        #"{"type":42}"#,
        #"{"type":""}"#,
        #"{"type":"PING","meta":[]}"#,
        #"{"type":"PING","payload":{"text":"a"},"data":1}"#,
        #"{"type":"PING","meta":{"timeoutMs":-5},"payload":{"text":"a"}}"#,
    ])
    func envelopeViolationsAreAnsweredWithError(_ text: String) async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(text)
        #expect(client.frames.map(\.type) == ["ERROR"])
        #expect(client.errors.map(\.code) == [.invalidArgument])
        #expect(runs.all.isEmpty)
        #expect(!client.isClosed)
        try await harness.finish()
    }

    @Test func envelopeViolationWithReadableCorrelationIdIsAnsweredWithRPCError() async throws {
        let harness = try TestHarness(Self.echoRouter(), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"GET_USER","meta":{"correlationId":"c-1"},"extra":true}"#)
        let frame = try #require(client.frames.first)
        #expect(frame.type == "RPC_ERROR")
        #expect(frame.correlationId == "c-1")
        #expect(frame.wireError?.code == .invalidArgument)
        try await harness.finish()
    }

    @Test func unknownTypeIsUnimplemented() async throws {
        let harness = try TestHarness(Self.echoRouter(), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"NOPE"}"#)
        await client.sendText(#"{"type":"NOPE_RPC","meta":{"correlationId":"r-9"}}"#)
        #expect(client.frames.map(\.type) == ["ERROR", "RPC_ERROR"])
        #expect(client.errors.map(\.code) == [.unimplemented, .unimplemented])
        #expect(client.frames[1].correlationId == "r-9")
        #expect(client.frames[0].correlationId == nil)
        #expect(harness.errors.allSatisfy { $0.phase == .dispatch })
        try await harness.finish()
    }

    @Test func constraintViolationIsInvalidArgumentWithIssuePaths() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"JOIN_ROOM","payload":{"room":""}}"#)
        await client.sendText(#"{"type":"JOIN_ROOM","payload":{"room":"ok","admin":true}}"#)
        #expect(runs.all.isEmpty)
        let errors = client.errors
        #expect(errors.map(\.code) == [.invalidArgument, .invalidArgument])
        let paths = errors.map { error in
            error.details?["issues"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        }
        #expect(paths == [["payload.room"], ["payload.admin"]])
        #expect(client.data.room == nil)
        #expect(harness.errors.map(\.phase) == [.validation, .validation])
        try await harness.finish()
    }

    @Test func payloadPresenceIsEnforced() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"PING"}"#)
        await client.sendText(#"{"type":"LEAVE","payload":{"x":1}}"#)
        #expect(runs.all.isEmpty)
        #expect(client.errors.map(\.code) == [.invalidArgument, .invalidArgument])
        // An argument-less message may carry `{}` (what some clients send) or no payload at all.
        await client.sendText(#"{"type":"LEAVE","payload":{}}"#)
        await client.sendText(#"{"type":"LEAVE"}"#)
        #expect(runs.all == ["leave", "leave"])
        try await harness.finish()
    }

    @Test func unknownMetaKeysAreRejectedUnlessDeclared() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.send(Leave.self, meta: ["traceId": "t1"])
        await client.send(Traced.self, meta: ["traceId": "t2"])
        #expect(runs.all == ["traced t2"])
        let error = try #require(client.errors.first)
        #expect(error.code == .invalidArgument)
        #expect(error.details?["issues"]?[0]?["path"]?.stringValue == "meta.traceId")
        try await harness.finish()
    }

    @Test(arguments: ["$ws:rpc-progress", "__heartbeat_ack", "ERROR", "RPC_ERROR", "$ws:abort", "__custom"])
    func reservedTypesFromClientsAreRejected(_ type: String) async throws {
        let harness = try TestHarness(Self.echoRouter(), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        // Even with a correlation id: a reserved type is not an RPC, so the answer is ERROR.
        await client.sendText(#"{"type":"\#(type)","meta":{"correlationId":"c-1"}}"#)
        #expect(client.frames.map(\.type) == ["ERROR"])
        #expect(client.errors.map(\.code) == [.invalidArgument])
        #expect(!client.isClosed)
        try await harness.finish()
    }

    @Test("__heartbeat is a plugin's reserved type: without the heartbeat plugin it is rejected, no handler runs")
    func heartbeatWithoutItsPluginIsRejected() async throws {
        let runs = EventLog()
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        await client.sendText(#"{"type":"__heartbeat"}"#)
        #expect(client.frames.map(\.type) == ["ERROR"])
        #expect(client.errors.map(\.code) == [.invalidArgument])
        #expect(runs.all.isEmpty)
        #expect(!client.isClosed)
        try await harness.finish()
    }

    @Test func framesOfOneConnectionKeepArrivalAndCallOrder() async throws {
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            for index in 1...3 { ctx.send(Notice.self, .init(text: "\(ctx.payload.text)\(index)")) }
        }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        for text in ["a", "b", "c"] {
            try await client.send(Ping.self, .init(text: text))
        }
        #expect(try client.messages(Notice.self).map(\.text) == ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"])
        try await harness.finish()
    }

    @Test func concurrentHandlersInterleaveWithoutReorderingEachOthersFrames() async throws {
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in
            ctx.send(Notice.self, .init(text: "\(ctx.payload.text)-start"))
            try await ctx.clock.sleep(for: .milliseconds(100))
            ctx.send(Notice.self, .init(text: "\(ctx.payload.text)-end"))
        }
        router.on(Login.self) { ctx in ctx.send(Notice.self, .init(text: "login")) }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "slow"))
        try await client.send(Login.self, .init(user: "u"))
        await harness.advance(by: .milliseconds(100))
        #expect(try client.messages(Notice.self).map(\.text) == ["slow-start", "login", "slow-end"])
        try await harness.finish()
    }

    @Test func oversizedFrameIsRejectedByTheParserLimits() async throws {
        let runs = EventLog()
        var options = RouterOptions()
        options.limits.maxBytes = 64
        let harness = try TestHarness(Self.echoRouter(runs: runs), plugins: MessagingPlugins(), options: options)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: String(repeating: "x", count: 100)))
        #expect(client.errors.map(\.code) == [.invalidArgument])
        #expect(runs.all.isEmpty)
        try await harness.finish()
    }
}
