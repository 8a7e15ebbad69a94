import WSKitContract
import WSKitRouter

/// Server-side keepalive: finds connections whose peer went away without closing (a dead NAT
/// mapping, a suspended laptop, a pulled cable) and closes them; keeps idle connections warm
/// through proxies that drop silent ones (ADR 0061, `docs/heartbeat.md`).
///
/// ```swift
/// struct AppPlugins: MessagingInstalled, HeartbeatInstalled {
///     var messaging = MessagingPlugin()
///     var heartbeat = HeartbeatPlugin(interval: .seconds(30), timeout: .seconds(5)) { stale in
///         log("\(stale.clientId) silent for \(stale.silentFor)")
///     }
/// }
/// ```
/// - **Any inbound frame is a sign of life**: a message, a ping, a pong, `__heartbeat`. A busy
///   connection is never pinged.
/// - After ``interval`` of silence the server sends a WebSocket **ping** frame (RFC 6455
///   §5.5.2), which every client stack answers with a pong. If nothing at all arrives within
///   ``timeout`` after it, the connection is **stale**: ``onStale`` is called, then the
///   connection is closed with ``closeCode`` (**4000** `HEARTBEAT_TIMEOUT` by default, as WS-Kit)
///   and the usual `onClose` hooks run once the host reports the close.
/// - **One timer per event loop**, not per connection: each loop's coarse tick
///   (``RouterTicker``, `EventLoop.onTick`) sweeps that loop's connections. Times are therefore
///   as coarse as the loop's tick (`ServerConfiguration.timerResolution`, 1 s by default). A host
///   without a ticker gets one shared timer on the router's clock, ticking every
///   ``fallbackTick``.
/// - Application-level `{"type":"__heartbeat"}` is answered `__heartbeat_ack` by this plugin
///   (``answersHeartbeatMessages``), without middleware or handlers; it counts as liveness like
///   any frame. A router without the plugin rejects it like any unclaimed reserved type.
/// - ``isEnabled`` false installs no sweep (no state, no per-frame hook, no cost); `__heartbeat`
///   is still answered unless ``answersHeartbeatMessages`` is off too.
public struct HeartbeatPlugin: RouterPlugin {
    /// Whether the plugin does anything.
    public var isEnabled: Bool
    /// Silence (no inbound frame) after which a ping is sent. Default 30 s. Counted in whole
    /// milliseconds of the ticker's clock.
    public var interval: Duration
    /// Silence after the ping after which the connection is stale. Default 5 s.
    public var timeout: Duration
    /// Whether pings are sent. `false`: passive mode for clients that send their own heartbeats
    /// (`__heartbeat`); a connection silent for `interval + timeout` is stale.
    public var sendsPings: Bool
    /// The close code for stale connections. Default 4000 (WS-Kit's `HEARTBEAT_TIMEOUT`); must be
    /// a code an endpoint may send (1000–1003, 1007–1014, 3000–4999).
    public var closeCode: UInt16
    /// The close reason (at most 123 bytes of UTF-8).
    public var closeReason: String
    /// Period of the fallback timer for hosts that offer no ``RouterTicker``.
    public var fallbackTick: Duration
    /// Called for every stale connection, on the ticker's thread, just before it is closed.
    public var onStale: (@Sendable (StaleConnection) -> Void)?
    /// Whether `{"type":"__heartbeat"}` is answered `__heartbeat_ack` (with the router clock's
    /// time in `meta.timestamp` and `meta.ts`). Default `true`; `false` leaves the type unclaimed,
    /// so the router rejects it with `INVALID_ARGUMENT`.
    public var answersHeartbeatMessages: Bool = true

    /// Creates the plugin (enabled).
    public init(
        interval: Duration = .seconds(30), timeout: Duration = .seconds(5), sendsPings: Bool = true,
        closeCode: UInt16 = 4000, closeReason: String = "HEARTBEAT_TIMEOUT", fallbackTick: Duration = .seconds(1),
        onStale: (@Sendable (StaleConnection) -> Void)? = nil
    ) {
        isEnabled = true
        self.interval = interval
        self.timeout = timeout
        self.sendsPings = sendsPings
        self.closeCode = closeCode
        self.closeReason = closeReason
        self.fallbackTick = fallbackTick
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

    /// Whether `code` may be sent in a close frame (RFC 6455 §7.4): the contract's
    /// `CloseCode.isSendable`.
    public static func isSendableCloseCode(_ code: UInt16) -> Bool {
        CloseCode.isSendable(code)
    }

    /// Registers the per-connection entry and the open and close hooks that add it to (and
    /// remove it from) its ticker's sweep; fails the build on invalid settings.
    public func install<ConnectionData: Sendable, Plugins: PluginSet>(
        into installation: PluginInstallation<ConnectionData, Plugins>
    ) throws {
        if answersHeartbeatMessages {
            let clock = installation.clock
            installation.handleReservedType(ReservedType.heartbeat) { message in
                message.connection.send(Envelope.heartbeatAck(timestamp: clock.nowMs))
            }
        }
        guard isEnabled else { return }
        if interval.wholeMilliseconds < 1 { installation.fail("interval must be at least 1 ms") }
        if timeout.wholeMilliseconds < 1 { installation.fail("timeout must be at least 1 ms") }
        if fallbackTick.wholeMilliseconds < 1 { installation.fail("fallbackTick must be at least 1 ms") }
        if !Self.isSendableCloseCode(closeCode) {
            installation.fail("closeCode \(closeCode) cannot be sent in a close frame (use 1000–1003, 1007–1014 or 3000–4999)")
        }
        if closeReason.utf8.count > 123 { installation.fail("closeReason is longer than 123 bytes") }
        let registry = HeartbeatRegistry(settings: HeartbeatSettings(self), clock: installation.clock)
        installation.routerState(registry)
        installation.connectionState { HeartbeatEntry() }
        installation.onInboundFrame(HeartbeatEntry.self) { entry in entry.notePeerActivity() }
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
