/// What a metric measures, which decides how a sink aggregates it.
public enum MetricKind: String, Sendable, Hashable {
    /// A count that only goes up (connections accepted, messages received).
    case counter
    /// A value that goes up and down (open connections).
    case gauge
    /// A distribution of observed values (RPC latency in seconds).
    case histogram
}

/// One metric WSKit reports: a Prometheus-style name, its kind and a one-line help text.
///
/// The standard metrics are the static members (`Metric.connectionsAccepted`, …), listed in
/// `docs/observability.md`. Names follow Prometheus conventions: `_total` for counters, base units
/// (seconds, bytes).
public struct Metric: Sendable, Hashable {
    /// The metric's name, e.g. `wskit_connections_accepted_total`.
    public let name: String
    /// Counter, gauge or histogram.
    public let kind: MetricKind
    /// What it counts, one line (Prometheus `# HELP`).
    public let help: String

    /// Creates a metric (applications may report their own through the same sink).
    public init(_ name: String, _ kind: MetricKind, help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }
}

// MARK: The server's metrics

extension Metric {
    /// TCP connections the listener accepted (before the HTTP upgrade).
    public static let connectionsAccepted = Metric(
        "wskit_connections_accepted_total", .counter, help: "TCP connections accepted by the listener")
    /// Upgrade requests answered with a refusal, by `reason` (`over_limit`,
    /// `address_connections`, `address_handshake_rate`, `buffered_bytes`, `shutting_down`,
    /// `bad_handshake`, `bad_request`, `origin`, `refused_by_app`, `bad_subprotocol`).
    public static let connectionsRefused = Metric(
        "wskit_connections_refused_total", .counter, help: "Upgrade requests refused, by reason")
    /// Completed WebSocket handshakes (101 sent).
    public static let handshakes = Metric(
        "wskit_handshakes_total", .counter, help: "WebSocket handshakes completed (101 Switching Protocols)")
    /// Plain HTTP requests (not upgrades) answered by the `http` hook.
    public static let httpRequests = Metric(
        "wskit_http_requests_total", .counter, help: "Plain HTTP requests answered")
    /// WebSocket connections open now.
    public static let connectionsOpen = Metric(
        "wskit_connections_open", .gauge, help: "WebSocket connections open now")
    /// WebSocket connections that ended, by close `code`.
    public static let connectionsClosed = Metric(
        "wskit_connections_closed_total", .counter, help: "WebSocket connections closed, by close code")
    /// Complete messages received (text and binary).
    public static let messagesReceived = Metric(
        "wskit_messages_received_total", .counter, help: "WebSocket messages received")
    /// Payload bytes of the messages received.
    public static let bytesReceived = Metric(
        "wskit_received_bytes_total", .counter, help: "Payload bytes of WebSocket messages received")
    /// Messages queued for sending (one per `send`, or per batch of pre-encoded frames).
    public static let messagesSent = Metric(
        "wskit_messages_sent_total", .counter, help: "WebSocket messages queued for sending")
    /// Frame bytes queued for sending.
    public static let bytesSent = Metric(
        "wskit_sent_bytes_total", .counter, help: "Frame bytes queued for sending")
    /// Sends that queued behind unwritten bytes (the peer reads slower than we write).
    public static let sendsBuffered = Metric(
        "wskit_sends_buffered_total", .counter, help: "Sends queued behind a backlog (backpressure)")
    /// Sends dropped: the connection was closing, or the backlog would exceed `maxBufferedBytes`.
    public static let sendsDropped = Metric(
        "wskit_sends_dropped_total", .counter, help: "Sends dropped (closing connection or buffer limit)")
    /// Connections closed by `BackpressurePolicy.close` at the buffer limit.
    public static let backpressureCloses = Metric(
        "wskit_backpressure_closes_total", .counter, help: "Connections closed for exceeding maxBufferedBytes")
    /// Connections whose close handshake did not finish within `limits.closeTimeout` (slow closes).
    public static let closeTimeouts = Metric(
        "wskit_close_timeouts_total", .counter, help: "Close handshakes that timed out (slow closes)")
    /// Connections closed for being idle longer than `idleTimeout`.
    public static let idleTimeouts = Metric(
        "wskit_idle_timeouts_total", .counter, help: "Connections closed for idleness")
}

// MARK: The router's and plugins' metrics

extension Metric {
    /// Inbound messages routed to a handler, by message `type` (unknown types are counted as
    /// errors, never as a label: a client cannot grow the label set).
    public static let routerMessages = Metric(
        "wskit_router_messages_total", .counter, help: "Messages routed to a handler, by type")
    /// Errors the router reported, by wire `code` (`NONE` when nothing was sent) and `phase`.
    public static let routerErrors = Metric(
        "wskit_router_errors_total", .counter, help: "Errors reported by the router, by code and phase")
    /// RPCs that ended, by `type` and `outcome` (`ok`, `error`, `cancelled`).
    public static let rpcCalls = Metric(
        "wskit_rpc_calls_total", .counter, help: "RPCs that ended, by type and outcome")
    /// Time from an RPC's arrival to its handler's end, in seconds, by `type`.
    public static let rpcDuration = Metric(
        "wskit_rpc_duration_seconds", .histogram, help: "RPC latency from arrival to handler end, by type")
    /// Messages published through the pub/sub plugin.
    public static let pubSubPublishes = Metric(
        "wskit_pubsub_publishes_total", .counter, help: "Messages published through pub/sub")
    /// Pub/sub deliveries to local subscribers (one per subscriber and message).
    public static let pubSubDeliveries = Metric(
        "wskit_pubsub_deliveries_total", .counter, help: "Pub/sub deliveries to local subscribers")
}
