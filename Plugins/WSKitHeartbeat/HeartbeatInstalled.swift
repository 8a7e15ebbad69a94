import WSKitRouter

/// A plugin set with ``HeartbeatPlugin`` installed, declared the typed way every standard plugin
/// is (`MessagingInstalled`, `RPCInstalled`, `PubSubInstalled`, `RateLimitInstalled`):
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, HeartbeatInstalled {
///     var messaging = MessagingPlugin()
///     var heartbeat = HeartbeatPlugin(intervalMs: 30_000, timeoutMs: 5_000)
/// }
/// ```
public protocol HeartbeatInstalled: PluginSet {
    /// The installed heartbeat plugin.
    var heartbeat: HeartbeatPlugin { get }
}
