import WSKitMetrics

/// The server's per-message metric handles, resolved once at start (only with a sink): the read
/// and send paths report through them with no lookup (ADR 0111). Rarer events (accepts,
/// refusals, closes by code) report through the sink directly.
final class ServerMetrics: Sendable {
    /// The sink the handles came from, for the rarer reports.
    let sink: any MetricsSink
    let messagesReceived: any CounterHandle
    let bytesReceived: any CounterHandle
    let messagesSent: any CounterHandle
    let bytesSent: any CounterHandle
    let sendsBuffered: any CounterHandle
    let sendsDropped: any CounterHandle
    let connectionsOpen: any GaugeHandle

    init(sink: any MetricsSink) {
        self.sink = sink
        messagesReceived = sink.counter(.messagesReceived, labels: .none)
        bytesReceived = sink.counter(.bytesReceived, labels: .none)
        messagesSent = sink.counter(.messagesSent, labels: .none)
        bytesSent = sink.counter(.bytesSent, labels: .none)
        sendsBuffered = sink.counter(.sendsBuffered, labels: .none)
        sendsDropped = sink.counter(.sendsDropped, labels: .none)
        connectionsOpen = sink.gauge(.connectionsOpen, labels: .none)
    }
}
