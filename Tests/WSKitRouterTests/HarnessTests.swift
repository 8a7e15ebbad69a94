import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// The harness itself: what it detects must really be detected.
@Suite struct HarnessTests {
    @Test func aTimerLeftBehindIsReported() async throws {
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { ctx in
            _ = ctx.clock.schedule(after: .milliseconds(60_000)) {}
        }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        #expect(harness.leaks() == ["1 timer(s) pending, due in [60000] ms"])
        await #expect(throws: HarnessError.self) { try await harness.finish() }
    }

    @Test func aTaskThatIgnoresCancellationIsReported() async throws {
        let gate = Gate()
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { _ in await gate.wait() }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "x"))
        // Closing cancels the handler, but it waits on something cancellation cannot reach.
        await #expect(throws: HarnessError.self) { try await harness.finish() }
        #expect(harness.leaks() == ["1 handler or lifecycle task(s) still running"])
        _ = client
        gate.open()
        try await harness.assertNoLeaks()
    }

    @Test func anRPCThatCanNeverSettleIsReportedAsUnsettled() async throws {
        let gate = Gate()
        let router = Router<Session, AppPlugins>()
        router.rpc(GetUser.self) { ctx in
            await gate.wait()
            ctx.reply(.init(name: "late"))
        }
        let harness = try TestHarness(router, plugins: AppPlugins())
        let client = await harness.connect(data: Session())
        await #expect(throws: HarnessError.self) {
            _ = try await client.call(GetUser.self, .init(id: "1"))
        }
        gate.open()
        await harness.settle()
        #expect(try client.messages(UserData.self) == [.init(name: "late")])
        try await harness.finish()
    }

    @Test func callDrivesTheFakeClockUntilTheReply() async throws {
        let router = Router<Session, AppPlugins>()
        router.rpc(Work.self) { ctx in
            try await ctx.clock.sleep(for: .milliseconds(250))
            try await ctx.clock.sleep(for: .milliseconds(250))
            ctx.reply(.init(ms: 500))
        }
        let harness = try TestHarness(router, plugins: AppPlugins())
        let client = await harness.connect(data: Session())
        let start = harness.clock.nowMs
        let result = try await client.call(Work.self, .init(ms: 0))
        #expect(result.reply == .init(ms: 500))
        #expect(harness.clock.nowMs - start == 500)
        try await harness.finish()
    }

    @Test func handlersRunSynchronouslyUpToTheirFirstSuspension() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.on(Ping.self) { ctx in
            log.append("start")
            try await ctx.clock.sleep(for: .milliseconds(10))
            log.append("end")
        }
        let harness = try TestHarness(router)
        let client = await harness.connect(data: Session())
        // Receive without settling: the handler already ran to its first suspension.
        Envelope(type: "PING", payload: ["text": "x"]).serialized().withUnsafeBytes {
            client.connection.receive(text: $0)
        }
        #expect(log.all == ["start"])
        await harness.advance(by: .milliseconds(10))
        #expect(log.all == ["start", "end"])
        try await harness.finish()
    }

    @Test func finishClosesOpenConnectionsAndRunsTheirCloseHooks() async throws {
        let log = EventLog()
        let router = Router<Session, NoPlugins>()
        router.onClose { ctx in log.append("\(ctx.clientId) \(ctx.code)") }
        let harness = try TestHarness(router)
        _ = await harness.connect(data: Session())
        let second = await harness.connect(data: Session())
        await second.close(code: 1000)
        try await harness.finish()
        #expect(log.all == ["client-2 1000", "client-1 1001"])
    }

    @Test func droppedSendsAreReportedToTheHandler() async throws {
        let results = EventLog()
        let router = Router<Session, MessagingPlugins>()
        router.on(Ping.self) { ctx in results.append("\(ctx.send(Pong.self, .init(text: "x")))") }
        let harness = try TestHarness(router, plugins: MessagingPlugins())
        let client = await harness.connect(data: Session())
        client.setSendResult(.buffered)
        try await client.send(Ping.self, .init(text: "1"))
        client.setSendResult(.dropped)
        try await client.send(Ping.self, .init(text: "2"))
        #expect(results.all == ["buffered", "dropped"])
        try await harness.finish()
    }

    /// Holds a weak reference to an exchange, to check it is freed.
    final class WeakExchanges: Sendable {
        private let refs = Mutex<[WeakRef]>([])
        struct WeakRef: @unchecked Sendable { weak var value: MessageExchange? }
        func add(_ exchange: MessageExchange) { refs.withLock { $0.append(WeakRef(value: exchange)) } }
        var alive: Int { refs.withLock { $0.filter { $0.value != nil }.count } }
        var count: Int { refs.withLock { $0.count } }
    }

    @Test func finishedExchangesAreFreed() async throws {
        let seen = WeakExchanges()
        let router = Router<Session, AppPlugins>()
        router.rpc(Work.self) { ctx in
            seen.add(ctx.inbound)
            try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
            ctx.reply(.init(ms: ctx.payload.ms))
        }
        router.on(Ping.self) { ctx in seen.add(ctx.inbound) }
        let harness = try TestHarness(router, plugins: AppPlugins())
        let client = await harness.connect(data: Session())
        _ = try await client.call(Work.self, .init(ms: 0))
        _ = try await client.call(Work.self, .init(ms: 10), meta: ["timeoutMs": 1_000])
        _ = try await client.call(Work.self, .init(ms: 5_000), meta: ["timeoutMs": 10])
        let aborted = try await client.startCall(Work.self, .init(ms: 5_000))
        await client.abort(aborted.correlationId)
        try await client.send(Ping.self, .init(text: "x"))
        await harness.settle()
        #expect(seen.count == 5)
        #expect(seen.alive == 0)
        try await harness.finish()
    }
}
