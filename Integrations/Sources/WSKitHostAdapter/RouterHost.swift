import WSKitProtocol
import WSKitRouter
import WSKitServer

/// What a foreign host (Vapor, Hummingbird) needs to serve a WSKit router: the app's upgrade hook
/// — the same `(IncomingUpgrade) -> UpgradeDecision` that WSKit's own server calls — and the
/// router. It decides upgrades and opens connections exactly as `WebSocketBehavior.hosting` does:
/// the `x-client-id` the hook chose or a fresh one, announced in the 101 response; the
/// `traceparent` header as the connection's ``TraceParent``.
public struct RouterHost<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The router every connection is opened on.
    public let router: RouterRuntime<ConnectionData, Plugins>
    /// The app's upgrade hook.
    public let upgrade: @Sendable (IncomingUpgrade) -> UpgradeDecision<ConnectionData>
    /// Per-connection limit of queued outbound bytes (see ``HostedTransport``).
    public let maxBufferedBytes: Int

    /// A host for `router`; `upgrade` authenticates and creates each connection's data.
    public init(
        router: RouterRuntime<ConnectionData, Plugins>,
        maxBufferedBytes: Int = 1 << 20,
        upgrade: @escaping @Sendable (IncomingUpgrade) -> UpgradeDecision<ConnectionData>
    ) {
        self.router = router
        self.maxBufferedBytes = maxBufferedBytes
        self.upgrade = upgrade
    }

    /// Runs the upgrade hook: an accepted upgrade (data, id, headers for the 101 response) or the
    /// refusal to answer with.
    public func decide(_ request: IncomingUpgrade) -> HostUpgradeDecision<ConnectionData> {
        switch upgrade(request) {
        case let .accept(data, subprotocol, headers):
            var headers = headers
            let clientId = headers["x-client-id"] ?? {
                let id = router.options.makeClientId()
                headers.add(name: "x-client-id", value: id)
                return id
            }()
            let traceParent = request.header("traceparent").flatMap(TraceParent.init)
            return .accept(AcceptedUpgrade(
                data: data, clientId: clientId, traceParent: traceParent, subprotocol: subprotocol, headers: headers))
        case let .refuse(response):
            return .refuse(response)
        }
    }

    /// Opens an accepted connection on the router: the host feeds the returned connection what it
    /// reads and drains the transport's ``HostedTransport/frames`` onto its socket.
    public func open(_ accepted: AcceptedUpgrade<ConnectionData>) -> (RouterConnection<ConnectionData, Plugins>, HostedTransport) {
        let transport = HostedTransport(
            clientId: accepted.clientId, traceParent: accepted.traceParent, maxBufferedBytes: maxBufferedBytes)
        return (router.open(transport, data: accepted.data), transport)
    }
}

/// The outcome of ``RouterHost/decide(_:)``.
public enum HostUpgradeDecision<ConnectionData: Sendable>: Sendable {
    /// Upgrade, answering with the accepted upgrade's headers.
    case accept(AcceptedUpgrade<ConnectionData>)
    /// Answer with this response and do not upgrade.
    case refuse(HTTPResponse)
}

/// An upgrade the hook accepted, carried by the host from its upgrade decision to the connection.
public struct AcceptedUpgrade<ConnectionData: Sendable>: Sendable {
    /// The connection's typed data.
    public var data: ConnectionData
    /// The connection's id (also in ``headers`` as `x-client-id`).
    public var clientId: String
    /// The request's valid `traceparent`, if any.
    public var traceParent: TraceParent?
    /// The subprotocol the hook selected, if any.
    public var subprotocol: String?
    /// Headers for the 101 response.
    public var headers: HTTPHeaders
}
