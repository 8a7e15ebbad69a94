import Testing
import WSKitContract
import WSKitRateLimit
import WSKitRouter
import WSKitTesting

/// Which bucket a message is counted in.
@Suite("Rate limit keys")
struct RateLimitKeyTests {
    static func request(_ user: String?, tenant: String? = nil, type: String = "CHAT", clientId: String = "c1") -> RateLimitRequest<User> {
        RateLimitRequest(clientId: clientId, type: type, isRPC: false, data: User(id: user, tenant: tenant))
    }

    @Test("the default key is per user per type; a connection without a user is its own user")
    func defaultKey() {
        let key = RateLimitKey<User>.perUserPerType
        #expect(key.make(Self.request("alice")) == "rl:public:u:alice:CHAT")
        #expect(key.make(Self.request("alice", tenant: "acme", type: "TYPING")) == "rl:acme:u:alice:TYPING")
        #expect(key.make(Self.request(nil, clientId: "c-9")) == "rl:public:c:c-9:CHAT")
        #expect(RateLimitKey<User>.perUser.make(Self.request("alice", type: "X")) == "rl:public:u:alice")
        // Ids cannot forge another user's key.
        #expect(key.make(Self.request("a:b%")) == "rl:public:u:a%3Ab%25:CHAT")
    }

    @Test("data that names no user is limited per connection")
    func unidentifiedData() {
        struct Anonymous: Sendable {}
        let request = RateLimitRequest(clientId: "c-7", type: "CHAT", isRPC: false, data: Anonymous())
        #expect(RateLimitKey<Anonymous>.perUserPerType.make(request) == "rl:public:c:c-7:CHAT")
        #expect(RateLimitKey<Anonymous>.perUser.make(request) == "rl:public:c:c-7")
        #expect(RateLimitKey<Anonymous>.perUserPerType(user: { _ in "u1" }).make(request) == "rl:public:u:u1:CHAT")
        #expect(RateLimitKey<Anonymous>.perUser(user: { _ in "u1" }, tenant: { _ in "t" }).make(request) == "rl:t:u:u1")
        #expect(RateLimitKey<Anonymous>.perConnection.make(request) == "rl:public:c:c-7")
        #expect(RateLimitKey<Anonymous>.perConnectionPerType.make(request) == "rl:public:c:c-7:CHAT")
    }

    @Test("per user per type: one user's connections share a bucket per type; types and users do not")
    func perUserPerTypeSharing() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 2, tokensPerSecond: 0.001)))
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let phone = await harness.connect(data: User(id: "alice"))
        let laptop = await harness.connect(data: User(id: "alice"))
        let bob = await harness.connect(data: User(id: "bob"))
        await phone.send(Typing.self)
        await laptop.send(Typing.self)
        await laptop.send(Typing.self) // alice's third TYPING: over
        try await laptop.send(Chat.self, .init(text: "other type")) // CHAT has its own bucket
        await bob.send(Typing.self) // bob has his own
        #expect(counter[Typing.type] == 3)
        #expect(counter[Chat.type] == 1)
        #expect(laptop.errors.map(\.code) == [.resourceExhausted])
        #expect(bob.errors.isEmpty)
        try await harness.finish()
    }

    @Test("per user: all of a user's message types share one bucket")
    func perUserSharing() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 2, tokensPerSecond: 0.001)), key: .perUser)
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let alice = await harness.connect(data: User(id: "alice"))
        await alice.send(Typing.self)
        try await alice.send(Chat.self, .init(text: "x"))
        try await alice.send(Upload.self, .init(size: 1))
        #expect(counter[Typing.type] + counter[Chat.type] + counter[Upload.type] == 2)
        #expect(alice.errors.map(\.code) == [.resourceExhausted])
        try await harness.finish()
    }

    @Test("anonymous connections never share a bucket")
    func anonymousConnectionsAreSeparate() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 0.001)))
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let first = await harness.connect(data: User(id: nil))
        let second = await harness.connect(data: User(id: nil))
        await first.send(Typing.self)
        await second.send(Typing.self)
        await second.send(Typing.self)
        #expect(counter[Typing.type] == 2)
        #expect(first.errors.isEmpty)
        #expect(second.errors.count == 1)
        try await harness.finish()
    }

    @Test("a custom key can read the payload: one bucket per room, whoever posts")
    func customKey() async throws {
        let counter = Counter()
        let plugin = RateLimitPlugin<User>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 2, tokensPerSecond: 0.001)),
            key: .custom { "room:" + ($0.payload?["text"]?.stringValue ?? "-") })
        let harness = try TestHarness(limitedRouter(counter), plugins: LimitedPlugins(rateLimit: plugin))
        let alice = await harness.connect(data: User(id: "alice"))
        let bob = await harness.connect(data: User(id: "bob"))
        try await alice.send(Chat.self, .init(text: "lobby"))
        try await bob.send(Chat.self, .init(text: "lobby"))
        try await bob.send(Chat.self, .init(text: "lobby"))
        try await bob.send(Chat.self, .init(text: "garden"))
        #expect(counter[Chat.type] == 3)
        #expect(bob.errors.count == 1)
        try await harness.finish()
    }

    @Test("the limiter's prefix is prepended to every key")
    func prefixedKeys() {
        let limiter = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 1, prefix: "app1:"))
        #expect(limiter.consume("k", cost: 1, nowMs: 0).isAllowed)
        let other = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 1, prefix: "app2:"))
        #expect(other.consume("k", cost: 1, nowMs: 0).isAllowed)
        #expect(!limiter.consume("k", cost: 1, nowMs: 0).isAllowed)
    }
}
