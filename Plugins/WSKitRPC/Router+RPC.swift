import WSKitContract
import WSKitRouter

extension Router where Plugins: RPCInstalled {
    /// Handles `R` requests with a handler that **returns** the reply: the returned
    /// ``RPC/Response`` is sent as the terminal reply, a thrown error as `RPC_ERROR`
    /// (`docs/wire-protocol.md` §6). Forgetting to answer on some path is a compile error
    /// ("missing return").
    ///
    /// ```swift
    /// router.rpc(GetProfile.self) { ctx in
    ///     ctx.progress(.init(displayName: "…"))            // optional updates first
    ///     guard let user = try await users.find(ctx.payload.userId) else { throw AppError.noSuchUser }
    ///     return .init(displayName: user.name)
    /// }
    /// ```
    /// A handler that already answered (``RPCContext/reply(_:meta:)`` or `ctx.error`), or whose
    /// call was cancelled meanwhile (abort, deadline, disconnect), has its returned value dropped:
    /// the first terminal wins. `middleware` runs after the global middleware, just before the
    /// handler.
    ///
    /// Which overload a closure picks: one that returns a value on some path is a returning
    /// handler (so a path that neither returns nor throws does not compile); one that never
    /// returns a value is a self-answering handler (below). The returning overloads are marked
    /// disfavoured so that a closure that only throws, or ends with `ctx.reply(…)`, stays
    /// self-answering rather than ambiguous.
    ///
    /// Inlinable so that the handler path is specialised for the concrete types in the caller's
    /// module.
    @inlinable @_disfavoredOverload
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) async throws -> R.Response
    ) {
        let responseType = R.responseType
        addRPCRoute(R.self, use: middleware) { (context: MessageContext<R, ConnectionData, Plugins>) async throws in
            let rpc = try RPCContext(admitted: context, responseType: responseType)
            let response = try await handler(rpc)
            rpc.reply(response)
        }
    }

    /// Handles `R` requests with a returning handler that does not suspend (a closure without
    /// `await`).
    ///
    /// Same rules as the async `rpc(_:use:_:)`. When the route has no middleware at all, the
    /// handler runs inline on the thread that received the request, with no task (ADR 0021); with
    /// middleware it runs in the request's task after the chain. It cannot be interrupted: an
    /// abort cannot arrive while it runs (frames of a connection are delivered in order), and a
    /// deadline that passes meanwhile answers `DEADLINE_EXCEEDED` and drops the returned reply.
    @inlinable @_disfavoredOverload
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) throws -> R.Response
    ) {
        let responseType = R.responseType
        addRPCRoute(R.self, use: middleware) { (context: MessageContext<R, ConnectionData, Plugins>) throws in
            let rpc = try RPCContext(admitted: context, responseType: responseType)
            rpc.reply(try handler(rpc))
        }
    }

    /// Handles `R` requests with a handler that answers **itself**: with
    /// ``RPCContext/reply(_:meta:)`` (or `ctx.error`), optionally after
    /// ``RPCContext/progress(_:throttleMs:)`` updates — for a handler that replies before it
    /// finishes its work, or replies with `meta`. If it returns without answering, the client gets
    /// `INTERNAL`. A closure without a `return` of a value picks this overload; prefer the
    /// returning one, which the compiler checks.
    @inlinable
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) async throws -> Void
    ) {
        let responseType = R.responseType
        addRPCRoute(R.self, use: middleware) { (context: MessageContext<R, ConnectionData, Plugins>) async throws in
            try await handler(RPCContext(admitted: context, responseType: responseType))
        }
    }

    /// Handles `R` requests with a self-answering handler that does not suspend; see the async
    /// overload, and the returning synchronous one for how it runs.
    @inlinable
    public func rpc<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>] = [],
        _ handler: @escaping @Sendable (RPCContext<R, ConnectionData, Plugins>) throws -> Void
    ) {
        let responseType = R.responseType
        addRPCRoute(R.self, use: middleware) { (context: MessageContext<R, ConnectionData, Plugins>) throws in
            try handler(RPCContext(admitted: context, responseType: responseType))
        }
    }

    /// An RPC route with an async body: admitted by the plugin (in-flight limit, deadline),
    /// finished by it.
    @inlinable
    func addRPCRoute<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>],
        _ body: @escaping MessageHandler<R, ConnectionData, Plugins>
    ) {
        addRoute(
            R.self, kind: .rpc, use: middleware, requiredPlugin: RPCPlugin.self,
            admit: { context in context.plugins.rpc.admit(context.inbound) },
            finish: { exchange in RPCPlugin.finish(exchange) },
            handler: body)
    }

    /// An RPC route with a synchronous body (inline when the route has no middleware).
    @inlinable
    func addRPCRoute<R: RPC>(
        _ type: R.Type, use middleware: [Middleware<ConnectionData, Plugins>],
        _ body: @escaping SyncMessageHandler<R, ConnectionData, Plugins>
    ) {
        addRoute(
            R.self, kind: .rpc, use: middleware, requiredPlugin: RPCPlugin.self,
            admit: { context in context.plugins.rpc.admit(context.inbound) },
            finish: { exchange in RPCPlugin.finish(exchange) },
            handler: body)
    }
}
