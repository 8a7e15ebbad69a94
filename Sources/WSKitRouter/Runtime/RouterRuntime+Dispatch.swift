import WSKitContract

extension RouterRuntime {
    /// Parses, checks and routes one inbound frame. Every rejection is answered (`ERROR`, or
    /// `RPC_ERROR` when a correlation id is readable) and reported; the connection stays open and
    /// no handler runs.
    func dispatch(_ bytes: UnsafeRawBufferPointer, on connection: RouterConnection<ConnectionData, Plugins>) {
        if connection.isClosed { return }
        let receivedAt = clock.nowMs
        let envelope: Envelope
        do {
            envelope = try Envelope.parse(bytes, limits: options.limits)
        } catch {
            let wire = error.wireError
            connection.report(RouterErrorEvent(
                phase: .decode, error: error, clientId: connection.clientId, messageType: error.type,
                correlationId: error.correlationId, sentToClient: wire))
            connection.sendError(wire, correlationId: error.correlationId)
            return
        }
        if envelope.isReserved {
            dispatchReserved(envelope, receivedAt: receivedAt, on: connection)
            return
        }
        guard let route = routes[envelope.type] else {
            reject(envelope, RouterFailure.unknownType(envelope.type), phase: .dispatch,
                   WireError(code: .unimplemented, message: "Unknown message type \"\(Self.clip(envelope.type))\""),
                   correlationId: envelope.correlationId, on: connection)
            return
        }
        let correlationId = envelope.correlationId
        if route.kind == .rpc, correlationId == nil {
            reject(envelope, RouterFailure.missingCorrelationId(envelope.type), phase: .dispatch,
                   WireError(code: .invalidArgument, message: "RPC \"\(envelope.type)\" requires meta.correlationId"),
                   correlationId: nil, on: connection)
            return
        }
        if let failure = envelope.validateMeta(allowing: route.extraMetaKeys) {
            reject(envelope, failure, phase: .validation, WireError(validation: failure, message: "Invalid meta"),
                   correlationId: route.kind == .rpc ? correlationId : nil, on: connection)
            return
        }
        let exchange = MessageExchange(
            type: envelope.type, meta: envelope.meta, payload: envelope.payload, receivedAt: receivedAt,
            correlationId: correlationId, kind: route.kind, connection: connection)
        route.start(RouteRequest(
            runtime: self, connection: connection, exchange: exchange, payload: envelope.payload,
            middleware: route.middleware))
    }

    /// `__heartbeat` is answered here; other reserved types go to the plugin that claimed them.
    private func dispatchReserved(_ envelope: Envelope, receivedAt: Int64, on connection: RouterConnection<ConnectionData, Plugins>) {
        if envelope.type == ReservedType.heartbeat, options.answerHeartbeats {
            connection.send(Envelope.heartbeatAck(timestamp: clock.nowMs))
            return
        }
        if let handler = reservedHandlers[envelope.type] {
            handler(ReservedMessage(envelope: envelope, receivedAt: receivedAt, connection: connection))
            return
        }
        reject(envelope, RouterFailure.reservedType(envelope.type), phase: .dispatch,
               WireError(code: .invalidArgument, message: "Reserved message type \"\(Self.clip(envelope.type))\" cannot be sent by clients"),
               correlationId: envelope.correlationId, on: connection)
    }

    private func reject(
        _ envelope: Envelope, _ error: any Error, phase: RouterErrorEvent.Phase, _ wire: WireError,
        correlationId: String?, on connection: ConnectionCore
    ) {
        connection.report(RouterErrorEvent(
            phase: phase, error: error, clientId: connection.clientId, messageType: envelope.type,
            correlationId: envelope.correlationId, sentToClient: wire))
        connection.sendError(wire, correlationId: correlationId)
    }

    static func clip(_ type: String) -> Substring { type.prefix(64) }

    // MARK: Typed routes

    /// Validates the payload, admits the message, and starts the handler (behind the middleware)
    /// as a task that begins synchronously.
    func startRoute<M: Message>(
        _ type: M.Type, _ request: RouteRequest<ConnectionData, Plugins>,
        admit: (@Sendable (MessageContext<M, ConnectionData, Plugins>) -> WireError?)?,
        handler: @escaping MessageHandler<M, ConnectionData, Plugins>
    ) {
        let exchange = request.exchange
        let connection = request.connection
        let payload: M.Payload
        switch M.decodePayload(request.payload) {
        case .success(let value):
            payload = value
        case .failure(let failure):
            let wire = WireError(
                validation: failure, message: exchange.kind == .rpc ? "Request validation failed" : "Validation failed")
            connection.report(.validation, failure, exchange: exchange, sent: wire)
            connection.sendError(wire, for: exchange)
            return
        }
        let context = MessageContext<M, ConnectionData, Plugins>(payload: payload, connection: connection, inbound: exchange)
        if let admit, let rejection = admit(context) {
            connection.report(.dispatch, RouterFailure.refused(exchange.type, rejection), exchange: exchange, sent: rejection)
            connection.sendError(rejection, for: exchange)
            exchange.finish()
            return
        }
        guard connection.register(exchange) else {
            exchange.finish()
            return
        }
        let global = globalMiddleware
        let route = request.middleware
        let task = connection.spawn { [self] in
            await self.execute(exchange, on: connection) {
                if global.isEmpty, route.isEmpty {
                    try await handler(context)
                } else {
                    let chain = MiddlewareChain(
                        global: global, route: route,
                        context: MiddlewareContext(connection: connection, inbound: exchange),
                        handler: { try await handler(context) })
                    try await chain.run(from: 0)
                }
            }
        }
        exchange.setTask(task)
    }

    /// Runs the middleware chain and handler, then applies the answer rules: an RPC that ended
    /// without a terminal gets one; a thrown `WireError` is sent as is, a `ValidationFailure` as
    /// `INVALID_ARGUMENT`, anything else as `INTERNAL` (details hidden unless
    /// ``RouterOptions/exposeErrorDetails``); cancelled work answers nothing more.
    func execute(
        _ exchange: MessageExchange, on connection: ConnectionCore, _ body: @Sendable () async throws -> Void
    ) async {
        do {
            if !exchange.isCancelled { try await body() }
            // A cancelled exchange is answered (or deliberately not) by whoever cancelled it.
            if exchange.kind == .rpc, !exchange.isTerminated, !exchange.isCancelled {
                let wire = WireError(code: .internal, message: "The request ended without a reply")
                connection.report(.handler, RouterFailure.noReply(exchange.type), exchange: exchange, sent: wire)
                connection.sendError(wire, for: exchange)
            }
        } catch {
            handleThrown(error, exchange, on: connection)
        }
        connection.unregister(exchange)
        exchange.finish()
    }

    private func handleThrown(_ error: any Error, _ exchange: MessageExchange, on connection: ConnectionCore) {
        if exchange.isCancelled { return }
        let wire: WireError
        if let error = error as? WireError {
            wire = error
        } else if let failure = error as? ValidationFailure {
            wire = WireError(validation: failure)
        } else if exchange.kind == .event, !options.sendInternalErrorOnThrow {
            connection.report(.handler, error, exchange: exchange, sent: nil)
            return
        } else {
            wire = WireError(code: .internal, message: options.exposeErrorDetails ? String(describing: error) : nil)
        }
        let sent = connection.sendError(wire, for: exchange)
        connection.report(.handler, error, exchange: exchange, sent: sent.isAccepted ? wire : nil)
    }
}
