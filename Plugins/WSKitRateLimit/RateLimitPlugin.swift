import WSKitRouter

/// Rate limiting for every routed message of a router: a token bucket per key, checked after
/// payload validation and before the application's middleware and handlers (ADR 0060).
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, RateLimitInstalled {
///     var messaging = MessagingPlugin()
///     var rateLimit = RateLimitPlugin<Session>(
///         limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 10, tokensPerSecond: 5)),
///         costs: [RateLimitCost(Upload.self, 5)])
/// }
/// ```
/// - A message over the limit is answered `RESOURCE_EXHAUSTED` with `retryAfterMs` and
///   `details {cost, capacity, remaining}` — a correlated `RPC_ERROR` for an RPC (its terminal
///   answer), `ERROR` otherwise; a cost above the capacity `FAILED_PRECONDITION`. The handler and
///   the rest of the middleware do not run. A cost of 0 bypasses the limiter.
/// - Keys: ``RateLimitKey/perUserPerType`` by default (the user from ``RateLimitIdentifiable``
///   connection data, else the connection), ``RateLimitKey/perUser``, per connection, or custom.
/// - Time: the router's clock, so the test harness's fake clock drives in-memory buckets.
///
/// For different limits on different routes use ``Middleware/rateLimit(_:key:cost:onLimited:)``
/// on those routes (or both: the plugin for a global ceiling, middleware for expensive types).
///
/// `ConnectionData` must be the router's connection data type; a plugin for another type fails
/// the build.
public struct RateLimitPlugin<ConnectionData: Sendable>: RouterPlugin {
    /// The rule applied to every routed message.
    public var rule: RateLimitRule<ConnectionData>

    /// Creates the plugin from a rule.
    public init(_ rule: RateLimitRule<ConnectionData>) {
        self.rule = rule
    }

    /// Creates the plugin.
    ///
    /// - Parameters:
    ///   - limiter: the buckets (``MemoryRateLimiter``, or `RedisRateLimiter` for limits shared by
    ///     several server instances).
    ///   - key: which bucket a message is counted in.
    ///   - costs: what chosen message types cost, declared by type (`RateLimitCost(Upload.self, 5)`).
    ///   - cost: what any other message costs (default 1; 0 bypasses).
    ///   - onLimited: called for every message stopped.
    public init(
        limiter: any RateLimiter,
        key: RateLimitKey<ConnectionData> = .perUserPerType,
        costs: [RateLimitCost] = [],
        cost: @escaping @Sendable (RateLimitRequest<ConnectionData>) -> Int = { _ in 1 },
        onLimited: (@Sendable (RateLimitEvent) -> Void)? = nil
    ) {
        rule = RateLimitRule(limiter: limiter, key: key, costs: costs, cost: cost, onLimited: onLimited)
    }

    /// "RateLimitPlugin".
    public static var pluginName: String { "RateLimitPlugin" }

    /// Adds the rule as plugin middleware; fails the build when `ConnectionData` is not the
    /// router's, or the limiter's policy is invalid.
    public func install<RouterData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<RouterData, Plugins>
    ) throws {
        for problem in rule.limiter.policy.problems { installation.fail(problem) }
        guard ConnectionData.self == RouterData.self else {
            installation.fail(
                "RateLimitPlugin<\(ConnectionData.self)> installed on a router whose connection data is \(RouterData.self)")
            return
        }
        if rule.unavailableRetryAfter < .zero { installation.fail("unavailableRetryAfter must not be negative") }
        // Same type at run time (checked above): reinterpret once, not per message.
        let typed = unsafeBitCast(rule, to: RateLimitRule<RouterData>.self)
        installation.use(.rateLimit(typed))
    }
}
