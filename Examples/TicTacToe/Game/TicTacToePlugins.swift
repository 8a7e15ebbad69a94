import WSKit

/// The plugins the tic-tac-toe router runs with: typed sends, RPC, rooms over pub/sub, a
/// per-connection rate limit and the heartbeat (which notices players whose network vanished).
public struct TicTacToePlugins: MessagingInstalled, RPCInstalled, PubSubInstalled, RateLimitInstalled, HeartbeatInstalled {
    /// `ctx.send`.
    public var messaging = MessagingPlugin()
    /// `router.rpc`; at most 8 requests in flight per connection.
    public var rpc = RPCPlugin(maxInFlightPerConnection: 8, defaultTimeout: .seconds(10))
    /// Rooms: one topic per room.
    public var pubsub = PubSubPlugin()
    /// At most 20 messages a second from one connection.
    public var rateLimit = RateLimitPlugin<TicTacToeSession>(
        limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 20, tokensPerSecond: 20)), key: .perConnection)
    /// Pings connections silent for 30 s; closes those that stay silent 5 s more.
    public var heartbeat = HeartbeatPlugin(interval: .seconds(30), timeout: .seconds(5))

    /// The standard configuration.
    public init() {}
}
