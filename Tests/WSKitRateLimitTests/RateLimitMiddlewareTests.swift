import Testing
import WSKitContract
import WSKitMessaging
import WSKitRPC
import WSKitRateLimit
import WSKitRouter
import WSKitTesting

struct RoutePlugins: MessagingInstalled, RPCInstalled {
    var messaging = MessagingPlugin()
    var rpc = RPCPlugin()
}

/// `Middleware.rateLimit`: limits on chosen routes.
@Suite("Rate limit middleware")
struct RateLimitMiddlewareTests {
    @Test("route middleware limits only its route, with the same answers as the plugin")
    func perRouteLimit() async throws {
        let counter = Counter()
        let uploads = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 0.5))
        let router = Router<User, RoutePlugins>()
        router.on(Upload.self, use: [.rateLimit(uploads, key: .perUser)]) { _ in counter.hit(Upload.type) }
        router.on(Typing.self) { _ in counter.hit(Typing.type) }
        router.rpc(Lookup.self, use: [.rateLimit(uploads, key: .perUser)]) { ctx in
            counter.hit(Lookup.type)
            ctx.reply(.init(id: ctx.payload.id))
        }
        let harness = try TestHarness(router, plugins: RoutePlugins())
        let alice = await harness.connect(data: User(id: "alice"))
        try await alice.send(Upload.self, .init(size: 1))
        try await alice.send(Upload.self, .init(size: 1))
        for _ in 0 ..< 10 { await alice.send(Typing.self) }
        let call = try await alice.call(Lookup.self, .init(id: "x"), advancingTime: false)
        #expect(counter[Upload.type] == 1)
        #expect(counter[Typing.type] == 10)
        #expect(counter[Lookup.type] == 0)
        #expect(alice.errors.first?.code == .resourceExhausted)
        #expect(alice.errors.first?.retryAfterMs == 2000)
        #expect(call.error?.code == .resourceExhausted)
        #expect(call.frames.first?.type == "RPC_ERROR")
        try await harness.finish()
    }

    @Test("global middleware can be placed after the application's own (here: after authentication)")
    func globalMiddlewareOrder() async throws {
        let counter = Counter()
        let limiter = RecordingLimiter()
        let router = Router<User, RoutePlugins>()
        router.use { ctx, next in
            guard ctx.data.id != nil else {
                ctx.error(.unauthenticated, "Log in first")
                return
            }
            try await next()
        }
        router.use(.rateLimit(limiter))
        router.on(Typing.self) { _ in counter.hit(Typing.type) }
        let harness = try TestHarness(router, plugins: RoutePlugins())
        let guest = await harness.connect(data: User(id: nil))
        let member = await harness.connect(data: User(id: "m"))
        await guest.send(Typing.self)
        await member.send(Typing.self)
        #expect(guest.errors.map(\.code) == [.unauthenticated])
        #expect(limiter.calls.all.map(\.key) == ["rl:public:u:m:TYPING"])
        try await harness.finish()
    }
}
