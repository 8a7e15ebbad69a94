import WSKitContract
import WSKitRouter

extension Router where Plugins: RPCInstalled {
    /// Handles `R` requests. The handler answers with ``RPCContext/reply(_:meta:)`` (or
    /// `ctx.error`), optionally after ``RPCContext/progress(_:throttleMs:)`` updates; if it
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
            handler: { context in
                guard let call = context.inbound.attachment(RPCCall.self) else {
                    throw WireError(code: .internal, message: "RPC state is missing")
                }
                try await handler(RPCContext(context, call: call))
            })
    }
}
