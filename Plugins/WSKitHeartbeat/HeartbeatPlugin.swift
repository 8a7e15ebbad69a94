import WSKitProtocol
import WSKitRouter

/// Server-side keepalive: finds connections whose peer went away without closing (a dead NAT
/// mapping, a suspended laptop, a pulled cable) and closes them; keeps idle connections warm
/// through proxies that drop silent ones (ADR 0061, `docs/heartbeat.md`).
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, HeartbeatInstalled {
///     var messaging = MessagingPlugin()
///     var heartbeat = HeartbeatPlugin(intervalMs: 30_000, timeoutMs: 5_000) { stale in
///         log("\(stale.clientId) silent for \(stale.silentForMs) ms")
///     }
/// }
/// ```
/// - **Any inbound frame is a sign of life**: a message, a ping, a pong, `__heartbeat`. A busy
///   connection is never pinged.
/// - After ``intervalMs`` of silence the server sends a WebSocket **ping** frame (RFC 6455
///   §5.5.2), which every client stack answers with a pong. If nothing at all arrives within
///   ``timeoutMs`` after it, the connection is **stale**: ``onStale`` is called, then the
///   connection is closed with ``closeCode`` (**4000** `HEARTBEAT_TIMEOUT` by default, as WS-Kit)
///   and the usual `onClose` hooks run once the host reports the close.
/// - **One timer per event loop**, not per connection: each loop's coarse tick
///   (``RouterTicker``, `EventLoop.onTick`) sweeps that loop's connections. Times are therefore
///   as coarse as the loop's tick (`ServerConfiguration.timerResolution`, 1 s by default). A host
///   without a ticker gets one shared timer on the router's clock, ticking every
///   ``fallbackTickMs``.
/// - Application-level `{"type":"__heartbeat"}` is answered `__heartbeat_ack` by the router core
///   (``RouterOptions/answerHeartbeats``), without middleware or handlers; it counts as liveness
///   like any frame.
/// - ``isEnabled`` false installs nothing (no state, no hooks, no cost).
public struct HeartbeatPlugin: RouterPlugin {
    /// Whether the plugin does anything.
    public var isEnabled: Bool
    /// Silence (no inbound frame) after which a ping is sent. Default 30 s.
    public var intervalMs: Int64
    /// Silence after the ping after which the connection is stale. Default 5 s.
    public var timeoutMs: Int64
    /// Whether pings are sent. `false`: passive mode for clients that send their own heartbeats
    /// (`__heartbeat`); a connection silent for `intervalMs + timeoutMs` is stale.
    public var sendsPings: Bool
    /// The close code for stale connections. Default 4000 (WS-Kit's `HEARTBEAT_TIMEOUT`); must be
    /// a code an endpoint may send (1000–1003, 1007–1014, 3000–4999).
    public var closeCode: UInt16
    /// The close reason (at most 123 bytes of UTF-8).
    public var closeReason: String
    /// Period of the fallback timer for hosts that offer no ``RouterTicker``.
    public var fallbackTickMs: Int64
    /// Called for every stale connection, on the ticker's thread, just before it is closed.
    public var onStale: (@Sendable (StaleConnection) -> Void)?

    /// Creates the plugin (enabled).
    public init(
        intervalMs: Int64 = 30_000, timeoutMs: Int64 = 5_000, sendsPings: Bool = true,
        closeCode: UInt16 = 4000, closeReason: String = "HEARTBEAT_TIMEOUT", fallbackTickMs: Int64 = 1000,
        onStale: (@Sendable (StaleConnection) -> Void)? = nil
    ) {
        isEnabled = true
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
        self.sendsPings = sendsPings
        self.closeCode = closeCode
        self.closeReason = closeReason
        self.fallbackTickMs = fallbackTickMs
        self.onStale = onStale
    }

    /// A plugin that does nothing (heartbeats switched off by configuration).
    public static var disabled: HeartbeatPlugin {
        var plugin = HeartbeatPlugin()
        plugin.isEnabled = false
        return plugin
    }

    /// "HeartbeatPlugin".
    public static var pluginName: String { "HeartbeatPlugin" }

    /// Whether `code` may be sent in a close frame (RFC 6455 §7.4): `WebSocketCloseCode.isSendable`.
    public static func isSendableCloseCode(_ code: UInt16) -> Bool {
        WebSocketCloseCode(code).isSendable
    }

    /// Registers the per-connection entry and the open and close hooks that add it to (and
    /// remove it from) its ticker's sweep; fails the build on invalid settings.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {
        guard isEnabled else { return }
        if intervalMs < 1 { installation.fail("intervalMs must be positive") }
        if timeoutMs < 1 { installation.fail("timeoutMs must be positive") }
        if fallbackTickMs < 1 { installation.fail("fallbackTickMs must be positive") }
        if !Self.isSendableCloseCode(closeCode) {
            installation.fail("closeCode \(closeCode) cannot be sent in a close frame (use 1000–1003, 1007–1014 or 3000–4999)")
        }
        if closeReason.utf8.count > 123 { installation.fail("closeReason is longer than 123 bytes") }
        let registry = HeartbeatRegistry(settings: HeartbeatSettings(self), clock: installation.clock)
        installation.routerState(registry)
        installation.connectionState { HeartbeatEntry() }
        installation.onOpen { context in
            let connection = context.connection
            guard let entry = connection.state(HeartbeatEntry.self) else { return }
            registry.add(entry, for: connection)
        }
        installation.onClose { context in
            context.connection.state(HeartbeatEntry.self)?.leave()
        }
    }
}
