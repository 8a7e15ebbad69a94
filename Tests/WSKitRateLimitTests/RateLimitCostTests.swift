import Testing
import WSKitContract
import WSKitRateLimit
import WSKitRouter
import WSKitTesting

/// Per-type costs declared by type (`RateLimitCost`), not by comparing type strings.
@Suite("Rate limit costs by message type")
struct RateLimitCostTests {
    @Test("a declared cost of 0 bypasses the limiter; a declared cost is charged; other types use the cost function")
    func declaredCosts() async throws {
        let counter = Counter()
        let limiter = RecordingLimiter()
        let plugin = RateLimitPlugin<User>(
            limiter: limiter, costs: [RateLimitCost(Typing.self, 0), RateLimitCost(Upload.self, 5)], cost: { _ in 2 })
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let dave = await harness.connect(data: User(id: "dave"))
        for _ in 0 ..< 5 { await dave.send(Typing.self) }
        try await dave.send(Upload.self, .init(size: 1))
        try await dave.send(Chat.self, .init(text: "hi"))
        #expect(counter[Typing.type] == 5)
        #expect(limiter.calls.all.map(\.cost) == [5, 2])
        #expect(limiter.calls.all.map(\.key) == ["rl:public:u:dave:UPLOAD", "rl:public:u:dave:CHAT"])
        try await harness.finish()
    }

    @Test("a declared cost above the capacity is refused with FAILED_PRECONDITION")
    func declaredCostAboveCapacity() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 1)),
            costs: [RateLimitCost(Upload.self, 4)])
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let erin = await harness.connect(data: User(id: "erin"))
        try await erin.send(Upload.self, .init(size: 1))
        #expect(counter[Upload.type] == 0)
        #expect(erin.errors.map(\.code) == [.failedPrecondition])
        try await harness.finish()
    }

    @Test("the plugin set's conformance types the installed plugin")
    func typedConformance() {
        let plugins = LimitedPlugins(rateLimit: RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 1)),
            costs: [RateLimitCost(Upload.self, 4)]))
        func declared<P: RateLimitInstalled>(_ set: P) -> [String: Int] { set.rateLimit.rule.costs }
        #expect(declared(plugins) == ["UPLOAD": 4])
    }
}
