import WSKitMetrics

/// The server's metric handles, resolved once at start (only with a sink), with no lookup per
/// report (ADR 0111). The read and send paths do not report per message: they count in their
/// loop's `MessageTally`, which the loop publishes here once per iteration (ADR 0126). The
/// open-connections gauge is adjusted per connection; rarer events (accepts, refusals, closes by
/// code) report through the sink directly.
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

    /// Adds a loop's counts to the handles (only those that moved) and empties the tally.
    /// Inlined into the loop, which calls it on a guaranteed reference: the handles are called
    /// with no retain and release around them.
    @inline(__always)
    func publish(_ tally: inout MessageTally) {
        if tally.messagesReceived != 0 {
            messagesReceived.increment(by: Int64(tally.messagesReceived))
            bytesReceived.increment(by: Int64(tally.bytesReceived))
        }
        if tally.messagesSent != 0 {
            messagesSent.increment(by: Int64(tally.messagesSent))
            bytesSent.increment(by: Int64(tally.bytesSent))
            if tally.sendsBuffered != 0 { sendsBuffered.increment(by: Int64(tally.sendsBuffered)) }
        }
        if tally.sendsDropped != 0 { sendsDropped.increment(by: Int64(tally.sendsDropped)) }
        tally = MessageTally()
    }
}
