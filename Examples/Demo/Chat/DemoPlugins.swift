import WSKit
import WSKitMessaging
import WSKitRPC

/// The plugins the demo's router runs with (ADR 0020): typed sends and RPC.
public struct DemoPlugins: MessagingInstalled, RPCInstalled {
    /// `ctx.send`.
    public var messaging = MessagingPlugin()
    /// `router.rpc`, `ctx.reply`; at most 32 requests in flight per connection.
    public var rpc = RPCPlugin(maxInFlightPerConnection: 32, defaultTimeoutMs: 30_000)

    /// The demo's configuration.
    public init() {}
}
