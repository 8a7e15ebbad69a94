import WSKit

/// Who is connected: a name from the page (only for the per-client rate limit and the logs).
public struct Watcher: Sendable, RateLimitIdentifiable {
    /// The name the page chose.
    public var name: String
    /// Rate limits count per name.
    public var rateLimitUserId: String? { name }

    /// A watcher.
    public init(name: String) { self.name = name }
}

/// The plugins the feed uses: messaging for the pushes, a rate limit on `SET_RATE` (a page that
/// forgets to throttle its slider gets `RESOURCE_EXHAUSTED` instead of flooding the feed).
public struct FeedPlugins: MessagingInstalled, RateLimitInstalled {
    /// Typed pushes.
    public var messaging = MessagingPlugin()
    /// 5 changes in a burst, then 2 a second, per watcher.
    public var rateLimit = RateLimitPlugin<Watcher>(
        limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 5, tokensPerSecond: 2)))

    /// The plugins.
    public init() {}
}
