import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// Synchronous handlers (ADR 0021): a closure without `await` picks the synchronous overload of
/// `on`/`rpc`, which runs inline with no task when its route has no middleware; the answer rules
/// are the task path's.
@Suite struct SyncHandlerTests {
    typealias AppRouter = Router<Session, AppPlugins>

    /// Reads the runtime's running-task count from inside a handler: 0 on the fast path, at
    /// least 1 in a handler task. It holds the runtime weakly: the runtime holds the handlers,
    /// which hold the probe, so a strong reference would be a cycle that outlives the test.
    final class TaskProbe: Sendable {
        private struct Target { weak var runtime: RouterRuntime<Session, AppPlugins>? }
        private let target = Mutex(Target())
        func attach(_ runtime: RouterRuntime<Session, AppPlugins>) { target.withLock { $0.runtime = runtime } }
        var path: String { (target.withLock { $0.runtime }?.activeTaskCount ?? -1) == 0 ? "inline" : "task" }
    }

    static func harness(
        _ probe: TaskProbe, plugins: AppPlugins = AppPlugins(), _ configure: (AppRouter) -> Void
    ) throws -> TestHarness<Session, AppPlugins> {
        let router = AppRouter()
        configure(router)
        let harness = try TestHarness(router, plugins: plugins)
        probe.attach(harness.runtime)
        return harness
    }

    // MARK: Overload resolution

    @Test func aClosureWithoutAwaitRunsInlineAndOneWithAwaitRunsInATask() async throws {
        let probe = TaskProbe()
        let log = EventLog()
        let harness = try Self.harness(probe) { router in
            router.on(Ping.self) { ctx in log.append("on sync \(probe.path)") }
            router.on(Notice.self) { ctx in
                await Task.yield()
                log.append("on async \(probe.path)")
            }
            router.rpc(GetUser.self) { ctx in
                log.append("rpc sync \(probe.path)")
                ctx.reply(.init(name: ctx.payload.id))
            }
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(0))
                log.append("rpc async \(probe.path)")
                ctx.reply(.init(ms: 0))
            }
            // A throwing closure without `await` is synchronous too.
            router.rpc(Touch.self) { ctx in
                log.append("rpc throwing sync \(probe.path)")
                throw WireError(code: .notFound)
            }
        }
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "a"))
        try await client.send(Notice.self, .init(text: "b"))
        #expect(try await client.call(GetUser.self, .init(id: "c")).reply == .init(name: "c"))
        #expect(try await client.call(Work.self, .init(ms: 0)).reply == .init(ms: 0))
        #expect(try await client.call(Touch.self, Empty()).error?.code == .notFound)
        #expect(log.all == ["on sync inline", "on async task", "rpc sync inline", "rpc async task", "rpc throwing sync inline"])
        try await harness.finish()
    }

    @Test func theInlineHandlerHasAnsweredBeforeReceiveReturns() throws {
        let router = AppRouter()
        router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: ctx.payload.id)) }
        router.on(Ping.self) { ctx in ctx.send(Pong.self, .init(text: ctx.payload.text)) }
        let runtime = try router.build(plugins: AppPlugins())
        let transport = RecordingTransport()
        let connection = runtime.open(transport, data: Session())
        connection.receive(text: Envelope(type: "GET_USER", meta: ["correlationId": "r1"], payload: ["id": "7"]).serialized())
        connection.receive(text: Envelope(type: "PING", payload: ["text": "hi"]).serialized())
        #expect(transport.types == ["USER_DATA", "PONG"])
        #expect(runtime.activeTaskCount == 0)
        #expect(connection.runningExchanges.isEmpty)
    }

    // MARK: Middleware

    @Test func withMiddlewareASyncHandlerRunsAfterTheChainInATask() async throws {
        let probe = TaskProbe()
        let log = EventLog()
        let harness = try Self.harness(probe) { router in
            router.use { ctx, next in
                log.append("global")
                try await next()
            }
            let perHandler = Middleware<Session, AppPlugins> { ctx, next in
                log.append("per-handler")
                await Task.yield()
                try await next()
            }
            router.on(Ping.self, use: [perHandler]) { ctx in log.append("event \(probe.path)") }
            router.rpc(GetUser.self, use: [perHandler]) { ctx in
                log.append("rpc \(probe.path)")
                ctx.reply(.init(name: "x"))
            }
        }
        let client = await harness.connect(data: Session())
        try await client.send(Ping.self, .init(text: "a"))
        #expect(try await client.call(GetUser.self, .init(id: "b")).reply == .init(name: "x"))
        #expect(log.all == ["global", "per-handler", "event task", "global", "per-handler", "rpc task"])
        try await harness.finish()
    }

    @Test func middlewareThatStopsTheChainStillStopsASyncHandler() async throws {
        let ran = Flag()
        let harness = try Self.harness(TaskProbe()) { router in
            router.use { ctx, next in
                if ctx.handles(GetUser.self) { return }
                try await next()
            }
            router.rpc(GetUser.self) { ctx in
                ran.set()
                ctx.reply(.init(name: "x"))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "b"))
        #expect(result.error?.code == .internal)
        #expect(!ran.isSet)
        try await harness.finish()
    }

    // MARK: Answer rules on the fast path

    @Test func anInlineRPCThatReturnsWithoutReplyingGetsInternal() async throws {
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in _ = ctx.payload.id }
        }
        try await expectOneInternalAnswerForAMissingReply(harness)
    }

    @Test func thrownErrorsFollowTheSameRulesInline() async throws {
        struct Boom: Error {}
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in
                if ctx.payload.id == "wire" { throw WireError(code: .permissionDenied, message: "no") }
                throw Boom()
            }
            router.on(Ping.self) { _ in throw Boom() }
        }
        let client = await harness.connect(data: Session())
        let wire = try await client.call(GetUser.self, .init(id: "wire"))
        #expect(wire.error?.code == .permissionDenied)
        let other = try await client.call(GetUser.self, .init(id: "other"))
        #expect(other.error?.code == .internal)
        #expect(other.error?.message != "Boom()")
        client.clearFrames()
        try await client.send(Ping.self, .init(text: "x"))
        // An event handler's error is answered with `ERROR` `INTERNAL` (sendInternalErrorOnThrow).
        #expect(client.frames.map(\.type) == ["ERROR"])
        #expect(harness.errors.count == 3)
        #expect(harness.errors.allSatisfy { $0.phase == .handler })
        try await harness.finish()
    }

    @Test func firstTerminalWinsAndProgressIsOrderedInline() async throws {
        let results = EventLog()
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in
                results.append("\(ctx.progress(.init(name: "p", step: 1)))")
                results.append("\(ctx.progress(.init(name: "p", step: 2)))")
                results.append("\(ctx.reply(.init(name: "done", step: 3)))")
                results.append("\(ctx.error(.notFound))")
                results.append("\(ctx.progress(.init(name: "late", step: 4)))")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.frames.map(\.type) == ["$ws:rpc-progress", "$ws:rpc-progress", "USER_DATA"])
        #expect(result.reply == .init(name: "done", step: 3))
        #expect(results.all == ["sent", "sent", "sent", "dropped", "dropped"])
        try await harness.finish()
    }

    @Test func invalidPayloadNeverReachesAnInlineHandler() async throws {
        let ran = Flag()
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(Work.self) { ctx in
                ran.set()
                ctx.reply(.init(ms: ctx.payload.ms))
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(Work.self, .init(ms: 1_000_000))
        #expect(result.error?.code == .invalidArgument)
        #expect(!ran.isSet)
        try await harness.finish()
    }

    @Test func theInFlightLimitCountsRunningAsyncCallsAndRefusesAnInlineOne() async throws {
        let ran = Flag()
        let harness = try Self.harness(TaskProbe(), plugins: AppPlugins(rpc: RPCPlugin(maxInFlightPerConnection: 1))) { router in
            router.rpc(Work.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(ctx.payload.ms))
                ctx.reply(.init(ms: ctx.payload.ms))
            }
            router.rpc(GetUser.self) { ctx in
                ran.set()
                ctx.reply(.init(name: "x"))
            }
        }
        let client = await harness.connect(data: Session())
        let slow = try await client.startCall(Work.self, .init(ms: 50))
        let refused = try await client.call(GetUser.self, .init(id: "1"), advancingTime: false)
        #expect(refused.error?.code == .resourceExhausted)
        #expect(!ran.isSet)
        await harness.advance(by: .milliseconds(50))
        #expect(try slow.result().reply == .init(ms: 50))
        // Once the slow call ended, an inline call is admitted (and leaves nothing in flight).
        #expect(try await client.call(GetUser.self, .init(id: "2")).reply == .init(name: "x"))
        #expect(try await client.call(GetUser.self, .init(id: "3")).reply == .init(name: "x"))
        try await harness.finish()
    }

    @Test func aDeadlineThatFiresWhileAnInlineHandlerRunsDecidesTheAnswer() async throws {
        let outcome = EventLog()
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in
                // As the deadline timer would, from another thread, while the handler runs.
                ctx.inbound.cancel(
                    reason: .deadlineExceeded, notifying: WireError(code: .deadlineExceeded, message: "late"))
                outcome.append("\(ctx.cancellationReason.map { "\($0)" } ?? "none")")
                outcome.append("\(ctx.reply(.init(name: "too late")))")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"))
        #expect(result.error?.code == .deadlineExceeded)
        #expect(result.frames.count == 1)
        #expect(outcome.all == ["deadlineExceeded", "dropped"])
        #expect(harness.errors.isEmpty)
        try await harness.finish()
    }

    @Test func aDisconnectWhileAnInlineHandlerRunsCancelsIt() async throws {
        let outcome = EventLog()
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in
                // The host reports the connection gone while the handler runs.
                ctx.connection.didClose(code: 1006, reason: "")
                outcome.append("\(ctx.cancellationReason.map { "\($0)" } ?? "none")")
            }
        }
        let client = await harness.connect(data: Session())
        let pending = try await client.startCall(GetUser.self, .init(id: "1"))
        #expect(pending.frames.isEmpty)
        #expect(outcome.all == ["disconnected"])
        // Returning without a reply is not reported: the exchange was cancelled.
        #expect(harness.errors.isEmpty)
        try await harness.finish()
    }

    @Test func anAbortForAFinishedInlineCallIsIgnored() async throws {
        let harness = try Self.harness(TaskProbe()) { router in
            router.rpc(GetUser.self) { ctx in ctx.reply(.init(name: "x")) }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "1"), meta: ["correlationId": "c1"])
        #expect(result.reply == .init(name: "x"))
        client.clearFrames()
        await client.abort("c1")
        #expect(client.frames.isEmpty)
        // The correlation id is free again.
        #expect(try await client.call(GetUser.self, .init(id: "2"), meta: ["correlationId": "c1"]).reply == .init(name: "x"))
        try await harness.finish()
    }
}
