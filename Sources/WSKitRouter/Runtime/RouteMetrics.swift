import WSKitMetrics

/// One route's metric handles, resolved once when the router is built (only with a sink): the
/// dispatch and RPC paths report through them with no label built and no lookup (ADR 0111).
final class RouteMetrics: Sendable {
    /// `wskit_router_messages_total{type}`.
    let messages: any CounterHandle
    /// `wskit_rpc_calls_total{type, outcome}` and `wskit_rpc_duration_seconds{type}`; nil for
    /// an event route.
    let rpc: RPCMetrics?

    /// The handles of an RPC route. A class: each RPC's exchange holds one reference (a struct of
    /// four existentials cost four retains and releases per RPC).
    final class RPCMetrics: Sendable {
        let ok: any CounterHandle
        let error: any CounterHandle
        let cancelled: any CounterHandle
        let duration: any HistogramHandle

        init(type: String, sink: any MetricsSink) {
            ok = sink.counter(.rpcCalls, labels: MetricLabels("type", type, "outcome", "ok"))
            error = sink.counter(.rpcCalls, labels: MetricLabels("type", type, "outcome", "error"))
            cancelled = sink.counter(.rpcCalls, labels: MetricLabels("type", type, "outcome", "cancelled"))
            duration = sink.histogram(.rpcDuration, labels: MetricLabels("type", type))
        }
    }

    init(type: String, kind: RouteKind, sink: any MetricsSink) {
        messages = sink.counter(.routerMessages, labels: MetricLabels("type", type))
        rpc = kind == .rpc ? RPCMetrics(type: type, sink: sink) : nil
    }
}
