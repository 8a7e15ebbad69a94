import WSKit

/// The plugins the demo's router runs with (ADR 0020): typed sends, RPC, rooms over pub/sub,
/// presence (the Online list), a per-connection rate limit and the heartbeat.
public struct DemoPlugins: MessagingInstalled, RPCInstalled, PubSubInstalled, PresenceInstalled, RateLimitInstalled,
    HeartbeatInstalled {
    /// `ctx.send`.
    public var messaging = MessagingPlugin()
    /// `router.rpc`, `ctx.reply`; at most 32 requests in flight per connection.
    public var rpc = RPCPlugin(maxInFlightPerConnection: 32, defaultTimeout: .seconds(30))
    /// Rooms: one topic per room, in this process or across processes through Redis. Each room's
    /// topic keeps its last ``historySize`` pushes for ``historyTTL`` (a stream): clients
    /// subscribe to room topics themselves (`$ws:subscribe`) and recover after reconnects.
    public var pubsub: PubSubPlugin
    /// Who is in each room, in this process or across processes (a Redis store): each pane is
    /// tracked under its connection id and receives the room's presence as state, then diffs.
    public var presence: PresencePlugin
    /// At most 10 messages a second from one connection (a bucket of 10, refilled at 10/s).
    public var rateLimit: RateLimitPlugin<ChatSession>
    /// Pings connections silent for 30 s; closes them (4000 `HEARTBEAT_TIMEOUT`) when nothing
    /// comes back in 5 s.
    public var heartbeat: HeartbeatPlugin

    /// The demo's configuration, with the pub/sub adapter that carries the rooms and the store
    /// that holds presence.
    public init(
        adapter: any PubSubAdapter = InMemoryPubSubAdapter(), presenceStore: any PresenceStore = InMemoryPresenceStore(),
        messagesPerSecond: Int = 10, heartbeatMs: Int64 = 30_000
    ) {
        // Room names are free text (up to 64 characters), so topics accept any character. Rooms
        // are public: any client may also subscribe to one on the wire (`$ws:subscribe`, what
        // `wskit subscribe URL chat:<room>` sends).
        pubsub = PubSubPlugin(
            adapter: adapter, topicRules: TopicRules(maxLength: 512, allowedCharacters: nil),
            history: [HistoryRule(prefix: Self.topicPrefix, size: Self.historySize, ttl: Self.historyTTL)],
            clientSubscriptions: true)
        presence = PresencePlugin(store: presenceStore, maxRoomBytes: 512, allowsAnyRoomCharacter: true)
        rateLimit = RateLimitPlugin<ChatSession>(
            limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: messagesPerSecond, tokensPerSecond: Double(messagesPerSecond))),
            key: .perConnection)
        heartbeat = HeartbeatPlugin(interval: .milliseconds(heartbeatMs), timeout: .milliseconds(min(heartbeatMs, 5_000)))
    }

    /// The topic of a room.
    public static func topic(of room: String) -> String { topicPrefix + room }

    /// The prefix of the rooms' topics.
    public static let topicPrefix = "chat:"
    /// How many pushes a room's stream keeps for recovery.
    public static let historySize = 500
    /// How long a room's stream keeps a push for recovery.
    public static let historyTTL: Duration = .seconds(600)

}
