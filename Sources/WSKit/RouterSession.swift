import WSKitRouter

/// The server-side context of a connection hosted by a router: the connection data the upgrade
/// hook produced, then the router's connection once it is open.
public final class RouterSession<ConnectionData: Sendable, Plugins: PluginSet>: @unchecked Sendable {
    /// The data the upgrade hook accepted the connection with.
    public let initialData: ConnectionData
    /// The connection's id (the `x-client-id` response header).
    public let clientId: String
    /// The upgrade request's W3C `traceparent`, if it carried a valid one.
    public let traceParent: TraceParent?
    /// The router's side of the connection; `nil` before `open` and after `close`.
    /// Touched only on the connection's event loop.
    public internal(set) var connection: RouterConnection<ConnectionData, Plugins>?

    init(initialData: ConnectionData, clientId: String, traceParent: TraceParent? = nil) {
        self.initialData = initialData
        self.clientId = clientId
        self.traceParent = traceParent
    }
}
