import WSKit

/// The plugins the board's router runs with: typed sends, RPC, rooms over pub/sub, a rate limit
/// (cursors cost nothing: they are throttled instead) and the heartbeat.
public struct BoardPlugins: MessagingInstalled, RPCInstalled, PubSubInstalled, RateLimitInstalled, HeartbeatInstalled {
    /// `ctx.send`.
    public var messaging = MessagingPlugin()
    /// `router.rpc`.
    public var rpc = RPCPlugin(maxInFlightPerConnection: 32, defaultTimeout: .seconds(10))
    /// Boards: one topic per board.
    public var pubsub = PubSubPlugin()
    /// At most 60 edits a second from one connection; cursors are free (the server throttles them).
    public var rateLimit = RateLimitPlugin<BoardSession>(
        limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 60, tokensPerSecond: 60)), key: .perConnection,
        costs: [RateLimitCost(MoveCursor.self, 0)])
    /// Pings connections silent for 30 s; closes those that stay silent 5 s more.
    public var heartbeat = HeartbeatPlugin(interval: .seconds(30), timeout: .seconds(5))

    /// The standard configuration.
    public init() {}
}
