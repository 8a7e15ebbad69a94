import WSKitProtocol
import WSKitRouter
import WSKitServer

extension WebSocketBehavior {
    /// Server callbacks that host `router`: each upgraded connection is opened on the router with
    /// the data `upgrade` returns, its text and binary messages are dispatched, and its close is
    /// reported. `http` answers requests that are not upgrades (404 by default).
    ///
    /// Pings and pongs from the peer count as peer activity (heartbeats); each connection's
    /// transport offers its loop's coarse timer (`EventLoop.onTick`) as a ``RouterTicker``.
    ///
    /// The connection's id is the `x-client-id` header the upgrade hook puts in its accept
    /// headers, or else one the router makes (`RouterOptions.makeClientId`, UUID v7), sent in that
    /// header: transport, contexts, logs and the client agree, and ids are unique across
    /// instances (pub/sub's `excludeSelf` relies on it). A valid W3C `traceparent` header on the
    /// upgrade request becomes the connection's ``TraceParent`` (`ctx.traceParent`).
    public static func hosting<ConnectionData: Sendable, Plugins: PluginSet>(
        _ router: RouterRuntime<ConnectionData, Plugins>,
        upgrade: @escaping @Sendable (IncomingUpgrade) -> UpgradeDecision<ConnectionData>,
        http: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() }
    ) -> WebSocketBehavior<RouterSession<ConnectionData, Plugins>> where Context == RouterSession<ConnectionData, Plugins> {
        let tickers = LoopTickers()
        return WebSocketBehavior(
            upgrade: { request in
                switch upgrade(request) {
                case let .accept(data, subprotocol, headers):
                    // The connection's id: the `x-client-id` the upgrade hook chose (an
                    // application id, stable across instances and reconnects), or a fresh one
                    // from the router, announced in that header.
                    var headers = headers
                    let clientId = headers["x-client-id"] ?? {
                        let id = router.options.makeClientId()
                        headers.add(name: "x-client-id", value: id)
                        return id
                    }()
                    let traceParent = request.header("traceparent").flatMap(TraceParent.init)
                    return .accept(
                        RouterSession(initialData: data, clientId: clientId, traceParent: traceParent),
                        subprotocol: subprotocol, headers: headers)
                case let .refuse(response):
                    return .refuse(response)
                }
            },
            open: { socket in
                let transport = ServerTransport(
                    socket, clientId: socket.context.clientId, ticker: tickers.ticker(for: socket.loop),
                    traceParent: socket.context.traceParent)
                socket.context.connection = router.open(transport, data: socket.context.initialData)
            },
            message: { socket, message in
                switch message {
                case let .text(bytes): socket.context.connection?.receive(text: bytes)
                case let .binary(bytes): socket.context.connection?.receive(binary: bytes)
                }
            },
            ping: { socket, _ in
                socket.context.connection?.notePeerActivity()
            },
            pong: { socket, _ in
                socket.context.connection?.notePeerActivity()
            },
            drain: { socket in
                socket.context.connection?.didDrain()
            },
            close: { socket, code, reason in
                socket.context.connection?.didClose(code: code.rawValue, reason: reason)
                socket.context.connection = nil
            },
            http: http
        )
    }
}

extension WebSocketServer {
    /// A server hosting `router`. `upgrade` authenticates the request and creates the typed
    /// connection data (refuse with 401/403/429 …); `http` serves everything that is not an upgrade.
    ///
    /// ```swift
    /// let runtime = try router.build(plugins: …)
    /// let server = WebSocketServer(configuration: .init(port: 3000), router: runtime) { request in
    ///     .accept(Session(user: request.head.queryValue("name") ?? "anon"))
    /// }
    /// try server.run()
    /// ```
    public convenience init<ConnectionData: Sendable, Plugins: PluginSet>(
        configuration: ServerConfiguration = .default,
        router: RouterRuntime<ConnectionData, Plugins>,
        http: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() },
        upgrade: @escaping @Sendable (IncomingUpgrade) -> UpgradeDecision<ConnectionData>
    ) where Context == RouterSession<ConnectionData, Plugins> {
        self.init(configuration: configuration, behavior: .hosting(router, upgrade: upgrade, http: http))
    }
}
