import Synchronization
import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRouter
import WSKitTestMessages
import WSKitTesting

/// An RPC declared with its response payload only: the reply's type is derived.
private struct Lookup: RPC {
    struct Payload: Codable, Sendable { var key: String }
    struct Response: Codable, Sendable, Equatable { var value: String }
    static let type = "LOOKUP"
}

/// Returning RPC handlers: the returned value is the terminal reply, thrown errors are
/// `RPC_ERROR`, progress still goes first, and an early `ctx.reply` wins.
@Suite struct ReturningHandlerTests {
    typealias AppRouter = Router<Session, AppPlugins>

    static func harness(_ configure: (AppRouter) -> Void) throws -> TestHarness<Session, AppPlugins> {
        let router = AppRouter()
        configure(router)
        return try TestHarness(router, plugins: AppPlugins())
    }

    @Test func anAsyncHandlersReturnedValueIsTheReplyUnderTheDerivedResponseType() async throws {
        let harness = try Self.harness { router in
            router.rpc(Lookup.self) { ctx in
                try await ctx.clock.sleep(for: .milliseconds(1))
                return .init(value: "v-\(ctx.payload.key)")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(Lookup.self, .init(key: "a"))
        #expect(result.reply == .init(value: "v-a"))
        #expect(result.frames.map(\.type) == ["LOOKUP_RESPONSE"])
        #expect(Lookup.responseType == "LOOKUP_RESPONSE")
        try await harness.finish()
    }

    @Test func aReturningHandlerWithoutAwaitRunsInlineAndOneWithAwaitInATask() async throws {
        let paths = EventLog()
        // Weak: the runtime holds the handlers that read it; a strong reference would be a cycle.
        struct Target { weak var runtime: RouterRuntime<Session, AppPlugins>? }
        let target = Mutex(Target())
        @Sendable func path() -> String {
            (target.withLock { $0.runtime }?.activeTaskCount ?? -1) == 0 ? "inline" : "task"
        }
        let router = AppRouter()
        router.rpc(GetUser.self) { ctx in
            paths.append("sync \(path())")
            return .init(name: "user \(ctx.payload.id)")
        }
        router.rpc(Work.self) { ctx in
            try await ctx.clock.sleep(for: .milliseconds(0))
            paths.append("async \(path())")
            return .init(ms: ctx.payload.ms)
        }
        let harness = try TestHarness(router, plugins: AppPlugins())
        target.withLock { $0.runtime = harness.runtime }
        let client = await harness.connect(data: Session())
        let sync = try await client.call(GetUser.self, .init(id: "7"))
        #expect(sync.reply == .init(name: "user 7"))
        #expect(sync.frames.map(\.type) == ["USER_DATA"])
        #expect(try await client.call(Work.self, .init(ms: 3)).reply == .init(ms: 3))
        #expect(paths.all == ["sync inline", "async task"])
        try await harness.finish()
    }

    @Test func progressGoesOutBeforeTheReturnedReply() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.progress(.init(name: "p", step: 1))
                try await ctx.clock.sleep(for: .milliseconds(5))
                ctx.progress(.init(name: "p", step: 2))
                return .init(name: "done", step: 3)
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.progress.map(\.step) == [1, 2])
        #expect(result.reply == .init(name: "done", step: 3))
        #expect(result.frames.map(\.type) == ["$ws:rpc-progress", "$ws:rpc-progress", "USER_DATA"])
        try await harness.finish()
    }

    @Test func anEarlyReplyWinsAndTheReturnedValueIsDropped() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                ctx.reply(.init(name: "early"))
                return .init(name: "late")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.reply == .init(name: "early"))
        #expect(result.terminalCount == 1)
        try await harness.finish()
    }

    @Test func aThrowInsteadOfAReturnIsTheError() async throws {
        let harness = try Self.harness { router in
            router.rpc(GetUser.self) { ctx in
                guard ctx.payload.id == "known" else { throw WireError(.notFound, "no user \(ctx.payload.id)") }
                return .init(name: "known")
            }
        }
        let client = await harness.connect(data: Session())
        let missing = try await client.call(GetUser.self, .init(id: "x"))
        #expect(missing.error?.code == .notFound)
        #expect(missing.error?.message == "no user x")
        #expect(missing.frames.map(\.type) == ["RPC_ERROR"])
        let found = try await client.call(GetUser.self, .init(id: "known"))
        #expect(found.reply == .init(name: "known"))
        try await harness.finish()
    }

    @Test func aReturningHandlerBehindMiddlewareStillReplies() async throws {
        let log = EventLog()
        let harness = try Self.harness { router in
            router.use { ctx, next in
                log.append("mw")
                try await next()
            }
            router.rpc(GetUser.self) { ctx in
                log.append("handler")
                return .init(name: "ok")
            }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(GetUser.self, .init(id: "x"))
        #expect(result.reply == .init(name: "ok"))
        #expect(log.all == ["mw", "handler"])
        try await harness.finish()
    }

    @Test func anEmptyResponseIsReturnedAsEmptyAndCarriesNoPayload() async throws {
        let harness = try Self.harness { router in
            router.rpc(Touch.self) { _ in return Empty() }
        }
        let client = await harness.connect(data: Session())
        let result = try await client.call(Touch.self, Empty())
        #expect(result.reply == Empty())
        let frame = try #require(result.frames.first)
        #expect(frame.type == "TOUCHED")
        #expect(frame.payload == nil)
        try await harness.finish()
    }
}
