import WSKitRouter

/// A connection the heartbeat found silent for too long, as ``HeartbeatPlugin/onStale`` sees it
/// just before closing it.
public struct StaleConnection: Sendable {
    /// The connection's id.
    public let clientId: String
    /// The connection (its plugin state, ``ConnectionCore/close(code:reason:)``…). It holds the
    /// router, which holds the `onStale` closure: keeping it in state that closure captures makes
    /// a cycle that keeps the router and its connections alive; keep what you need instead.
    public let connection: ConnectionCore
    /// How long nothing arrived (as measured on the ticker's clock, so up to one tick coarse).
    public let silentFor: Duration
    /// Whether a ping went unanswered (`false` in passive mode).
    public let wasPinged: Bool
}
