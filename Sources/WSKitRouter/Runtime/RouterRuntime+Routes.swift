import WSKitContract

extension RouterRuntime {
    /// Validates the payload, admits the message, and starts the middleware chain and handler as
    /// a task that begins synchronously on the calling thread (ADR 0021).
    ///
    /// Inlinable (with ``Router/addRoute(_:kind:use:requiredPlugin:admit:finish:handler:)``) so that it
    /// is specialised for the concrete types in the application's module; everything that does
    /// not need the types lives in non-generic ``ConnectionCore`` helpers.
    @inlinable
    static func startRoute<M: Message>(
        _ type: M.Type, connection core: ConnectionCore, exchange: MessageExchange,
        middleware: [Middleware<ConnectionData, Plugins>],
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)?,
        handler: @escaping MessageHandler<M, ConnectionData, Plugins>
    ) {
        guard let (connection, context) = admitRoute(M.self, connection: core, exchange: exchange, admit: admit) else { return }
        if middleware.isEmpty {
            connection.startHandler(of: exchange, context: context, handler)
        } else {
            connection.startHandler(of: exchange, context: context) { context in
                let chain = MiddlewareChain(
                    middleware: middleware, context: MiddlewareContext(connection: connection, inbound: exchange),
                    handler: { try await handler(context) })
                try await chain.run(from: 0)
            }
        }
    }

    /// Validates the payload, admits the message, and runs a synchronous handler inline on the
    /// calling thread, with no task: the fast path for a route without middleware (ADR 0021).
    /// The answer rules are the task path's (``ConnectionCore/runHandler(of:context:_:)``).
    @inlinable
    static func runRoute<M: Message>(
        _ type: M.Type, connection core: ConnectionCore, exchange: MessageExchange,
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)?,
        handler: SyncMessageHandler<M, ConnectionData, Plugins>
    ) {
        guard let (connection, context) = admitRoute(M.self, connection: core, exchange: exchange, admit: admit) else { return }
        connection.runHandler(of: exchange, context: context, handler)
    }

    /// Decodes the payload (answering `INVALID_ARGUMENT` on failure) and applies the route's
    /// admission (answering its refusal): the typed context, or `nil` when the message was
    /// answered here.
    @inlinable
    static func admitRoute<M: Message>(
        _ type: M.Type, connection core: ConnectionCore, exchange: MessageExchange,
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)?
    ) -> (RouterConnection<ConnectionData, Plugins>, MessageContext<M, ConnectionData, Plugins>)? {
        let connection = unsafeDowncast(core, to: RouterConnection<ConnectionData, Plugins>.self)
        let payload: M.Payload
        switch M.decodePayload(exchange.payload) {
        case .success(let value):
            payload = value
        case .failure(let failure):
            connection.rejectPayload(failure, of: exchange)
            return nil
        }
        let context = MessageContext<M, ConnectionData, Plugins>(payload: payload, connection: connection, inbound: exchange)
        if let admit, let rejection = admit(context) {
            connection.refuse(exchange, with: rejection)
            return nil
        }
        return (connection, context)
    }
}
