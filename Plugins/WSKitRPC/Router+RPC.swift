import WSKitContract
import WSKitRouter

extension Router where Plugins: RPCInstalled {
    /// Handles `R` requests. The handler answers with ``RPCContext/reply(_:meta:)`` (or
    /// `ctx.error`), optionally after ``RPCContext/progress(_:throttle:)`` updates; if it
    /// returns without answering, the client gets `INTERNAL`.
    ///
    /// `middleware` runs after the global middleware, just before the handler.
    ///
    /// Inlinable so that the handler path is specialised for the concrete types in the caller's
    /// module.
    @inlinable
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) async throws -> Void
    ) {
        addRoute(
            R.self, kind: .rpc, use: middleware, requiredPlugin: RPCPlugin.self,
            admit: { context in context.plugins.rpc.admit(context.inbound) },
            finish: { exchange in RPCPlugin.finish(exchange) },
            handler: { context in try await handler(RPCContext(admitted: context)) })
    }

    /// Handles `R` requests with a handler that does not suspend (a closure without `await`).
    ///
    /// Same rules as the async `rpc(_:use:_:)`. When the route has no middleware at all, the
    /// handler runs inline on the thread that received the request, with no task; with
    /// middleware it runs in the request's task after the chain. It cannot be interrupted: an
    /// abort cannot arrive while it runs (frames of a connection are delivered in order), and a
    /// deadline that passes meanwhile answers `DEADLINE_EXCEEDED` and drops the handler's reply.
    @inlinable
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) throws -> Void
    ) {
        addRoute(
            R.self, kind: .rpc, use: middleware, requiredPlugin: RPCPlugin.self,
            admit: { context in context.plugins.rpc.admit(context.inbound) },
            finish: { exchange in RPCPlugin.finish(exchange) },
            handler: { (context: MessageContext<R, ConnectionData, Plugins>) throws in
                try handler(RPCContext(admitted: context))
            })
    }
}
