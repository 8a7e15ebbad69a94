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
                    .accept(RouterSession(initialData: data), subprotocol: subprotocol, headers: headers)
                case let .refuse(response):
                    .refuse(response)
                }
            },
            open: { socket in
                let transport = ServerTransport(socket, ticker: tickers.ticker(for: socket.loop))
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
