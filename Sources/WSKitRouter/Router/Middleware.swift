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
/// A thrown `WireError` is sent to the client as is, any other ``WireErrorConvertible`` as its
/// `wireError`, any other error as `INTERNAL` (`docs/wire-protocol.md` §6). An RPC stopped
/// without any answer still gets one (see ``RouteKind/rpc``).
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
@usableFromInline
protocol MiddlewareChainRunner: Sendable {
    func run(from index: Int) async throws
}

/// A route's middleware (plugin, global, per-route), then the handler, for one message.
@usableFromInline
final class MiddlewareChain<ConnectionData: Sendable, Plugins: PluginSet>: MiddlewareChainRunner {
    let middleware: [Middleware<ConnectionData, Plugins>]
    let context: MiddlewareContext<ConnectionData, Plugins>
    let handler: @Sendable () async throws -> Void

    @usableFromInline
    init(
        middleware: [Middleware<ConnectionData, Plugins>], context: MiddlewareContext<ConnectionData, Plugins>,
        handler: @escaping @Sendable () async throws -> Void
    ) {
        self.middleware = middleware
        self.context = context
        self.handler = handler
    }

    @usableFromInline
    func run(from index: Int) async throws {
        if context.inbound.isCancelled { return }
        if index < middleware.count {
            try await middleware[index].body(context, Next(chain: self, index: index + 1))
        } else {
            try await handler()
        }
    }
}
