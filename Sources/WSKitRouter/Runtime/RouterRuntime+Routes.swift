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
        let connection = unsafeDowncast(core, to: RouterConnection<ConnectionData, Plugins>.self)
        let payload: M.Payload
        switch M.decodePayload(exchange.payload) {
        case .success(let value):
            payload = value
        case .failure(let failure):
            connection.rejectPayload(failure, of: exchange)
            return
        }
        let context = MessageContext<M, ConnectionData, Plugins>(payload: payload, connection: connection, inbound: exchange)
        if let admit, let rejection = admit(context) {
            connection.refuse(exchange, with: rejection)
            return
        }
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
}
