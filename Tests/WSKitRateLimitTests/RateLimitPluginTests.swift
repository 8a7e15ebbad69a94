import Testing
import WSKitContract
import WSKitRateLimit
import WSKitRouter
import WSKitTesting

/// The rate limit plugin's rules, through the harness (fake clock, deterministic handlers).
@Suite("Rate limit plugin")
struct RateLimitPluginTests {
    static func harness(
        _ policy: RateLimitPolicy, key: RateLimitKey<User> = .perUserPerType,
        cost: @escaping @Sendable (RateLimitRequest<User>) -> Int = { _ in 1 },
        counter: Counter, log: Collected<String>? = nil, onLimited: (@Sendable (RateLimitEvent) -> Void)? = nil
    ) throws -> TestHarness<User, LimitedPlugins> {
        let plugin = RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: policy), key: key, cost: cost, onLimited: onLimited)
        return try TestHarness(limitedRouter(counter, log: log), plugins: LimitedPlugins(rateLimit: plugin))
    }

    @Test("a full bucket lets `capacity` messages through; the next gets RESOURCE_EXHAUSTED with the exact retryAfterMs, and the handler does not run")
    func bucketMathWithTheFakeClock() async throws {
        let counter = Counter()
        let harness = try Self.harness(RateLimitPolicy(capacity: 3, tokensPerSecond: 1), counter: counter)
        let alice = await harness.connect(data: User(id: "alice"))
        for n in 1 ... 4 { try await alice.send(Chat.self, .init(text: "m\(n)")) }
        #expect(counter[Chat.type] == 3)
        #expect(try alice.messages(Echoed.self).map(\.text) == ["m1", "m2", "m3"])
        let error = try #require(alice.errors.last)
        #expect(alice.frames.last?.type == "ERROR")
        #expect(alice.frames.last?.correlationId == nil)
        #expect(error.code == .resourceExhausted)
        #expect(error.message == "Rate limit exceeded")
        #expect(error.retryAfterMs == 1000)
        #expect(error.retryable == true)
        #expect(error.detail("cost") == 1)
        #expect(error.detail("capacity") == 3)
        #expect(error.detail("remaining") == 0)

        // Partial progress towards the next token counts: 400 ms later, 600 ms are left.
        await harness.advance(by: .milliseconds(400))
        try await alice.send(Chat.self, .init(text: "early"))
        #expect(alice.errors.last?.retryAfterMs == 600)
        #expect(counter[Chat.type] == 3)
        await harness.advance(by: .milliseconds(600))
        try await alice.send(Chat.self, .init(text: "on time"))
        #expect(counter[Chat.type] == 4)
        #expect(alice.errors.count == 2)
        try await harness.finish()
    }

    @Test("polling an empty bucket never loses the time already earned towards the next token")
    func fractionalTimeIsKept() async throws {
        let counter = Counter()
        let harness = try Self.harness(RateLimitPolicy(capacity: 2, tokensPerSecond: 1), counter: counter)
        let bob = await harness.connect(data: User(id: "bob"))
        await bob.send(Typing.self)
        await bob.send(Typing.self)
        var retries: [Int?] = []
        for _ in 0 ..< 3 {
            await harness.advance(by: .milliseconds(300))
            await bob.send(Typing.self)
            retries.append(bob.errors.last?.retryAfterMs)
        }
        #expect(retries == [700, 400, 100])
        await harness.advance(by: .milliseconds(300)) // t = 1200: one token was earned at t = 1000
        await bob.send(Typing.self)
        #expect(counter[Typing.type] == 3)
        await harness.advance(by: .milliseconds(600)) // t = 1800: 800 ms of the next second are earned
        await bob.send(Typing.self)
        #expect(bob.errors.last?.retryAfterMs == 200)
        try await harness.finish()
    }

    @Test("an RPC over the limit gets one correlated RPC_ERROR (its terminal answer), never a second 'no reply' error")
    func rpcRejectionIsCorrelated() async throws {
        let counter = Counter()
        let harness = try Self.harness(RateLimitPolicy(capacity: 1, tokensPerSecond: 0.5), counter: counter)
        let carol = await harness.connect(data: User(id: "carol"))
        let first = try await carol.call(Lookup.self, .init(id: "a"), advancingTime: false)
        #expect(first.reply?.id == "a")
        let second = try await carol.call(Lookup.self, .init(id: "b"), meta: ["correlationId": "req-2"], advancingTime: false)
        #expect(second.correlationId == "req-2")
        #expect(second.terminalCount == 1)
        let error = try #require(second.error)
        #expect(error.code == .resourceExhausted)
        #expect(error.retryAfterMs == 2000)
        #expect(second.frames.map(\.type) == ["RPC_ERROR"])
        #expect(counter[Lookup.type] == 1)
        #expect(harness.errors.isEmpty, "a rejection is an answer, not a failure: \(harness.errors)")
        try await harness.finish()
    }

    @Test("cost 0 bypasses the limiter entirely")
    func zeroCostBypasses() async throws {
        let counter = Counter()
        let limiter = RecordingLimiter()
        let plugin = RateLimitPlugin<User>(limiter: limiter, costs: [RateLimitCost(Typing.self, 0)])
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let dave = await harness.connect(data: User(id: "dave"))
        for _ in 0 ..< 50 { await dave.send(Typing.self) }
        try await dave.send(Chat.self, .init(text: "hi"))
        #expect(counter[Typing.type] == 50)
        #expect(limiter.calls.all.map(\.key) == ["rl:public:u:dave:CHAT"])
        try await harness.finish()
    }

    @Test("a cost above the capacity gets FAILED_PRECONDITION (not retryable) and takes no tokens")
    func costAboveCapacity() async throws {
        let counter = Counter()
        let events = Collected<RateLimitEvent>()
        let harness = try Self.harness(
            RateLimitPolicy(capacity: 10, tokensPerSecond: 1), key: .perUser,
            cost: { request in request.payload?["size"]?.intValue ?? 1 }, counter: counter,
            onLimited: { events.append($0) })
        let erin = await harness.connect(data: User(id: "erin"))
        try await erin.send(Upload.self, .init(size: 11))
        let error = try #require(erin.errors.last)
        #expect(error.code == .failedPrecondition)
        #expect(error.message == "Operation cost exceeds capacity")
        #expect(error.retryable == false)
        #expect(error.retryAfterMs == nil)
        #expect(error.detail("cost") == 11)
        #expect(error.detail("capacity") == 10)
        #expect(counter[Upload.type] == 0)
        // Nothing was taken: the whole bucket is still there.
        try await erin.send(Upload.self, .init(size: 10))
        #expect(counter[Upload.type] == 1)
        try await erin.send(Upload.self, .init(size: 1))
        #expect(erin.errors.last?.code == .resourceExhausted)
        #expect(events.all.map(\.reason) == [.exceedsCapacity, .limited(retryAfterMs: 1000)])
        #expect(events.all.first?.key == "rl:public:u:erin")
        try await harness.finish()
    }

    @Test("a limited message runs neither the application's middleware nor its handler")
    func limitedMessagesStopBeforeAppMiddleware() async throws {
        let counter = Counter()
        let log = Collected<String>()
        let harness = try Self.harness(RateLimitPolicy(capacity: 1, tokensPerSecond: 1), counter: counter, log: log)
        let frank = await harness.connect(data: User(id: "frank"))
        try await frank.send(Chat.self, .init(text: "1"))
        try await frank.send(Chat.self, .init(text: "2"))
        #expect(log.all == ["app middleware CHAT"])
        #expect(counter[Chat.type] == 1)
        try await harness.finish()
    }

    @Test("the limiter reads the router's clock")
    func limiterGetsTheRouterClock() async throws {
        let limiter = RecordingLimiter()
        let harness = try TestHarness(
            limitedRouter(Counter()), plugins: LimitedPlugins(rateLimit: RateLimitPlugin<User>(limiter: limiter)),
            clock: FakeClock(nowMs: 5_000))
        let gina = await harness.connect(data: User(id: "gina"))
        await gina.send(Typing.self)
        await harness.advance(by: .milliseconds(1234))
        await gina.send(Typing.self)
        #expect(limiter.calls.all.map(\.nowMs) == [5_000, 6_234])
        try await harness.finish()
    }

    @Test("a negative cost is an application bug: INTERNAL to the client, reported to onError")
    func negativeCost() async throws {
        let counter = Counter()
        let harness = try Self.harness(
            RateLimitPolicy(capacity: 5, tokensPerSecond: 1), cost: { _ in -1 }, counter: counter)
        let hank = await harness.connect(data: User(id: "hank"))
        await hank.send(Typing.self)
        #expect(hank.errors.map(\.code) == [.internal])
        #expect(counter[Typing.type] == 0)
        let reported = try #require(harness.errors.first)
        #expect(reported.phase == .plugin)
        #expect(reported.error as? RateLimitFailure == .negativeCost(type: Typing.type, cost: -1))
        try await harness.finish()
    }

    @Test("a limiter that cannot decide (failing closed) answers UNAVAILABLE, retryable, and reports it")
    func unavailableLimiter() async throws {
        let counter = Counter()
        let events = Collected<RateLimitEvent>()
        let plugin = RateLimitPlugin<User>(limiter: BrokenLimiter(), onLimited: { events.append($0) })
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let ivy = await harness.connect(data: User(id: "ivy"))
        let call = try await ivy.call(Lookup.self, .init(id: "x"), advancingTime: false)
        #expect(call.error?.code == .unavailable)
        #expect(call.error?.retryAfterMs == 1000)
        #expect(counter[Lookup.type] == 0)
        #expect(harness.errors.count == 1)
        #expect(harness.errors.first?.sentToClient?.code == .unavailable)
        #expect(events.all.map(\.reason) == [.limiterUnavailable("rate limiter unavailable: store is down")])
        try await harness.finish()
    }

    @Test("onLimited sees each stopped message with its key, cost and remaining tokens")
    func onLimitedEvents() async throws {
        let events = Collected<RateLimitEvent>()
        let harness = try Self.harness(
            RateLimitPolicy(capacity: 2, tokensPerSecond: 4), counter: Counter(), onLimited: { events.append($0) })
        let jack = await harness.connect(data: User(id: "jack", tenant: "acme"), clientId: "c-jack")
        for _ in 0 ..< 3 { await jack.send(Typing.self) }
        let event = try #require(events.all.first)
        #expect(events.all.count == 1)
        #expect(event.clientId == "c-jack")
        #expect(event.type == Typing.type)
        #expect(event.key == "rl:acme:u:jack:TYPING")
        #expect(event.cost == 1)
        #expect(event.capacity == 2)
        #expect(event.remaining == 0)
        #expect(event.reason == .limited(retryAfterMs: 250))
        try await harness.finish()
    }

    @Test("a plugin for another connection data type, or with an invalid policy, fails the build")
    func buildChecks() throws {
        struct Other: Sendable {}
        struct OtherPlugins: PluginSet { var rateLimit: RateLimitPlugin<User> }
        let router = Router<Other, OtherPlugins>()
        let limiter = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 1))
        #expect(throws: RouterBuildError.self) {
            try router.build(plugins: OtherPlugins(rateLimit: RateLimitPlugin(limiter: limiter)))
        }
        struct BadPolicy: RateLimiter {
            let policy = RateLimitPolicy(capacity: 0, tokensPerSecond: 0)
            func consume(_ key: String, cost: Int, nowMs: Int64) -> RateLimitDecision { .allowed(remaining: 0) }
        }
        do {
            _ = try limitedRouter(Counter()).build(plugins: LimitedPlugins(rateLimit: RateLimitPlugin(limiter: BadPolicy())))
            Issue.record("an invalid policy must fail the build")
        } catch {
            #expect(String(describing: error).contains("capacity must be at least 1"))
            #expect(String(describing: error).contains("tokensPerSecond must be positive"))
        }
        #expect(throws: RateLimitPolicyError.self) { try RateLimitPolicy(capacity: 1, tokensPerSecond: .infinity).validate() }
    }
}
