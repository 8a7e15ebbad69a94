import WSKit

/// The app router: two feature routers merged, a global middleware, lifecycle hooks.
public func makeApp(log: @escaping @Sendable (String) -> Void = { _ in }) throws -> RouterRuntime<Session, ExamplePlugins> {
    try makeRouter(log: log).build(plugins: ExamplePlugins())
}

/// The app's router, before `build` (what its AsyncAPI document describes).
public func makeRouter(log: @escaping @Sendable (String) -> Void = { _ in }) throws -> Router<Session, ExamplePlugins> {
    let app = Router<Session, ExamplePlugins>()
    app.use { ctx, next in
        // Global middleware: runs after validation, before every feature's own middleware.
        log("\(ctx.data.userId) → \(ctx.inbound.type)")
        try await next()
    }
    app.onOpen { ctx in log("open \(ctx.data.userId)") }
    app.onClose { ctx in log("close \(ctx.data.userId) \(ctx.code)") }
    try app.merge(profileFeature())
    try app.merge(jobsFeature())
    return app
}
