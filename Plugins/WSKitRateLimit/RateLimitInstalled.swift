import WSKitRouter

/// A plugin set with ``RateLimitPlugin`` installed, declared the typed way every standard plugin
/// is (`MessagingInstalled`, `RPCInstalled`, `PubSubInstalled`, `HeartbeatInstalled`):
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, RateLimitInstalled {
///     var messaging = MessagingPlugin()
///     var rateLimit = RateLimitPlugin<Session>(
///         limiter: MemoryRateLimiter(policy: RateLimitPolicy(capacity: 10, tokensPerSecond: 5)),
///         costs: [RateLimitCost(Upload.self, 5), RateLimitCost(Typing.self, 0)])
/// }
/// ```
/// The conformance makes the limiter part of the set's type, like the other plugins': no
/// reflection is needed to know it is there, and `plugins.rateLimit` (its rule, its limiter) is
/// typed in every context. Different limits for chosen routes: ``Middleware/rateLimit(_:key:cost:onLimited:)``
/// on those routes.
public protocol RateLimitInstalled: PluginSet {
    /// The connection data the plugin is written for (the router's `ConnectionData`).
    associatedtype RateLimitedData: Sendable
    /// The installed rate limit plugin.
    var rateLimit: RateLimitPlugin<RateLimitedData> { get }
}
