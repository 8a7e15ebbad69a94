import WSKit

/// Who is connected: set by the upgrade hook from the `access_token` query parameter.
public struct Voter: Sendable, RateLimitIdentifiable {
    public var name: String
    public var rateLimitUserId: String? { name }
    public init(name: String) { self.name = name }
}

/// The plugins the app uses; each conformance makes one plugin's API available.
public struct AppPlugins: MessagingInstalled, RPCInstalled, PubSubInstalled, RateLimitInstalled {
    public var messaging = MessagingPlugin()
    public var rpc = RPCPlugin(defaultTimeout: .seconds(10))
    public var pubsub = PubSubPlugin()
    /// 5 messages in a burst, 2 a second after that, per voter and message type; a vote costs 2.
    public var rateLimit = RateLimitPlugin<Voter>(
        limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 5, tokensPerSecond: 2)),
        costs: [RateLimitCost(Vote.self, 2)])

    public init() {}
}
