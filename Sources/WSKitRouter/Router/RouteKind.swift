/// How a route answers.
public enum RouteKind: Sendable, Hashable {
    /// Fire-and-forget: errors go out as `ERROR`, `ctx.error` may be called any number of times.
    case event
    /// Request–response: the request must carry `meta.correlationId`; exactly one terminal
    /// (reply or `RPC_ERROR`) goes back, and the router sends an error when the handler (or a
    /// middleware) ends without one.
    case rpc
}
