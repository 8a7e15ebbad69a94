import WSKitContract
import WSKitRouter

/// Adds `ctx.send(M.self, payload)`: typed messages to the connection a context belongs to, from
/// handlers, RPC handlers, middleware and `onOpen` hooks.
///
/// ```swift
/// struct AppPlugins: MessagingInstalled {
///     var messaging = MessagingPlugin()
/// }
/// router.on(Ping.self) { ctx in ctx.send(Pong.self, .init(text: ctx.payload.text)) }
/// ```
public struct MessagingPlugin: RouterPlugin {
    /// Outbound validation for `send`, overriding ``RouterOptions/outboundValidation``; `nil`
    /// keeps the router's.
    public var outboundValidation: OutboundValidation?

    /// Creates the plugin.
    public init(outboundValidation: OutboundValidation? = nil) {
        self.outboundValidation = outboundValidation
    }

    /// `send` needs nothing but the connection: no middleware, hooks or state.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {}
}
