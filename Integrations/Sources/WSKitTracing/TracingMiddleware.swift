import Tracing
import WSKitContract
import WSKitRouter

/// Router middleware that traces routed messages with swift-distributed-tracing: one `server`
/// span per RPC (and, unless `rpcOnly`, per fire-and-forget message), named after the message
/// type, around the rest of the middleware chain and the handler.
///
/// The span's parent is the connection's upgrade `traceparent` (``TraceParent``, `ctx.traceParent`),
/// handed to the tracer's `extract` as the W3C header it came in — so any W3C-propagating tracer
/// (swift-otel, …) links the span to the trace that opened the connection — or else the current
/// task's `ServiceContext`. The span is the current context while the handler runs, so spans the
/// handler starts nest under it.
///
/// Attributes: `rpc.system` = `wskit`, `rpc.method` = the message type, `wskit.kind` = `rpc` or
/// `message`, `wskit.client_id`, and `wskit.correlation_id` when the message carries one. A thrown
/// error is recorded on the span and sets its status to error (`wskit.error.code` for a
/// ``WireError``); errors answered with `ctx.error(…)` without throwing are not seen.
///
/// ```swift
/// router.use(tracingMiddleware())          // InstrumentationSystem.tracer
/// ```
public func tracingMiddleware<ConnectionData: Sendable, Plugins: PluginSet>(
    tracer: (any Tracer)? = nil,
    rpcOnly: Bool = false
) -> Middleware<ConnectionData, Plugins> {
    Middleware { ctx, next in
        let isRPC = ctx.isRPC
        if rpcOnly && !isRPC { return try await next() }
        let tracer = tracer ?? InstrumentationSystem.tracer
        var parent = ServiceContext.current ?? .topLevel
        if let traceParent = ctx.traceParent {
            tracer.extract(["traceparent": traceParent.description], into: &parent, using: HeaderExtractor())
        }
        let span = tracer.startSpan(ctx.messageType, context: parent, ofKind: .server)
        defer { span.end() }
        span.attributes["rpc.system"] = "wskit"
        span.attributes["rpc.method"] = ctx.messageType
        span.attributes["wskit.kind"] = isRPC ? "rpc" : "message"
        span.attributes["wskit.client_id"] = ctx.clientId
        if let correlationId = ctx.correlationId { span.attributes["wskit.correlation_id"] = correlationId }
        do {
            try await ServiceContext.withValue(span.context) { try await next() }
        } catch {
            span.recordError(error)
            if let wire = error as? WireError { span.attributes["wskit.error.code"] = wire.code.rawValue }
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}

/// Reads the W3C headers handed to a tracer's `extract`.
struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
