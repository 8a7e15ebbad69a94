/// Dead-peer detection for one connection: when nothing has arrived for `interval`, the client
/// sends a probe; when still nothing has arrived `timeout` later, the connection is declared dead
/// and dropped (`WebSocketCloseInfo.Cause.heartbeatTimeout`), which makes `WebSocketClient`
/// reconnect. Any inbound byte counts as a sign of life, so a busy connection sends no probes.
public struct Heartbeat: Sendable, Hashable {
    /// What the client sends as a probe.
    public enum Probe: Sendable, Hashable {
        /// An RFC 6455 ping frame; every conforming server answers with a pong.
        case ping
        /// A text message, for servers or proxies that hide pings from the application (for
        /// example `{"type":"__heartbeat"}`, answered by WSKit's heartbeat plugin).
        case text(String)

        /// WSKit's application heartbeat, `{"type":"__heartbeat"}`, answered with
        /// `__heartbeat_ack` by WSKit servers (and WS-Kit's); `WebSocketClient` swallows the ack.
        public static var heartbeatMessage: Probe { .text(#"{"type":"__heartbeat"}"#) }
    }

    /// Idle time before a probe is sent. Default 30 s.
    public var interval: Duration
    /// Time after the probe within which something must arrive. Default 10 s.
    public var timeout: Duration
    /// The probe. Default `.ping`.
    public var probe: Probe

    /// Creates a heartbeat configuration.
    public init(interval: Duration = .seconds(30), timeout: Duration = .seconds(10), probe: Probe = .ping) {
        self.interval = interval
        self.timeout = timeout
        self.probe = probe
    }
}
