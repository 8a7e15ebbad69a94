import WSKit

/// The whole app: the feature routers merged, one global middleware.
public func makeApp(store: PollStore = PollStore()) throws -> Router<Voter, AppPlugins> {
    let app = Router<Voter, AppPlugins>()
    app.use { ctx, next in
        guard !ctx.data.name.isEmpty else { throw WireError(.unauthenticated, "Name required") }
        try await next()
    }
    try app.merge(pollRoutes(store))
    try app.merge(watchRoutes(store))
    return app
}

/// The server: the app on WSKit's epoll server, voters named by their `access_token`.
public func makeServer(port: Int) throws -> WebSocketServer<RouterSession<Voter, AppPlugins>> {
    WebSocketServer(
        configuration: ServerConfiguration(port: port),
        router: try makeApp().build(plugins: AppPlugins())
    ) { request in
        guard let token = request.bearerToken() else { return .refuse(.unauthorized("token required")) }
        return .accept(Voter(name: token.value), subprotocol: token.subprotocolToSelect)
    }
}
