/// A step that runs before a handler: it can inspect the message, change connection data, answer
/// with `ctx.error(…)`, and either continue with `try await next()` or stop (short-circuit) by
/// returning or throwing.
///
/// Order for every routed message: payload validation → plugin middleware → global middleware
/// (``Router/use(_:)-(Middleware<ConnectionData,Plugins>)``, registration order) → per-handler
/// middleware (`on(_:use:_:)`) → handler.
///
/// ```swift
/// router.use { ctx, next in
///     guard ctx.data.userId != nil || ctx.handles(Login.self) else {
///         ctx.error(.unauthenticated, "Log in first")
///         return
///     }
///     try await next()
/// }
/// ```
/// A thrown `WireError` is sent to the client as is; any other error becomes `INTERNAL`. An RPC
/// stopped without any answer still gets one (see ``RouteKind/rpc``).
public struct Middleware<ConnectionData: Sendable, Plugins: PluginSet>: Sendable {
    /// The middleware's body.
    public let body: @Sendable (MiddlewareContext<ConnectionData, Plugins>, Next) async throws -> Void

    /// Creates middleware from its body.
    public init(_ body: @escaping @Sendable (MiddlewareContext<ConnectionData, Plugins>, Next) async throws -> Void) {
        self.body = body
    }
}

/// Continues a middleware chain with the next middleware, or the handler. Call it at most once.
public struct Next: Sendable {
    let chain: any MiddlewareChainRunner
    let index: Int

    /// Runs the rest of the chain; rethrows what it throws.
    public func callAsFunction() async throws {
        try await chain.run(from: index)
    }
}

/// A running chain, as ``Next`` sees it.
protocol MiddlewareChainRunner: Sendable {
    func run(from index: Int) async throws
}

/// Global middleware, then per-route middleware, then the handler, for one message.
final class MiddlewareChain<ConnectionData: Sendable, Plugins: PluginSet>: MiddlewareChainRunner {
    let global: [Middleware<ConnectionData, Plugins>]
    let route: [Middleware<ConnectionData, Plugins>]
    let context: MiddlewareContext<ConnectionData, Plugins>
    let handler: @Sendable () async throws -> Void

    init(
        global: [Middleware<ConnectionData, Plugins>], route: [Middleware<ConnectionData, Plugins>],
        context: MiddlewareContext<ConnectionData, Plugins>, handler: @escaping @Sendable () async throws -> Void
    ) {
        self.global = global
        self.route = route
        self.context = context
        self.handler = handler
    }

    func run(from index: Int) async throws {
        if context.inbound.isCancelled { return }
        if index < global.count {
            try await global[index].body(context, Next(chain: self, index: index + 1))
        } else if index - global.count < route.count {
            try await route[index - global.count].body(context, Next(chain: self, index: index + 1))
        } else {
            try await handler()
        }
    }
}
