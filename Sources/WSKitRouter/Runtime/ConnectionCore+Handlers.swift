import WSKitContract

extension ConnectionCore {
    /// Answers a payload that failed validation with `INVALID_ARGUMENT` and reports it.
    @usableFromInline
    func rejectPayload(_ failure: ValidationFailure, of exchange: MessageExchange) {
        let wire = WireError(
            validation: failure, message: exchange.kind == .rpc ? "Request validation failed" : "Validation failed")
        report(.validation, failure, exchange: exchange, sent: wire)
        sendError(wire, for: exchange)
    }

    /// Answers a message its route's admission refused, and ends the exchange.
    @usableFromInline
    func refuse(_ exchange: MessageExchange, with rejection: WireError) {
        report(.dispatch, RouterFailure.refused(exchange.type, rejection), exchange: exchange, sent: rejection)
        sendError(rejection, for: exchange)
        exchange.finish()
    }

    /// Tracks the exchange and runs `body` (middleware and handler) in a task that starts
    /// synchronously on this thread and resumes on the connection's executor.
    @usableFromInline
    func startHandler(of exchange: MessageExchange, _ body: @escaping @Sendable () async throws -> Void) {
        guard register(exchange) else {
            exchange.finish()
            return
        }
        let task = spawn { [self] in await runHandler(of: exchange, body) }
        exchange.setTask(task)
    }

    /// Runs a message's middleware chain and handler, then applies the answer rules: an RPC that
    /// ended without a terminal gets one; a thrown `WireError` is sent as is, a
    /// `ValidationFailure` as `INVALID_ARGUMENT`, anything else as `INTERNAL` (details hidden
    /// unless ``RouterOptions/exposeErrorDetails``); cancelled work answers nothing more.
    func runHandler(of exchange: MessageExchange, _ body: () async throws -> Void) async {
        do {
            if !exchange.isCancelled { try await body() }
            // A cancelled exchange is answered (or deliberately not) by whoever cancelled it.
            if exchange.kind == .rpc, !exchange.isTerminated, !exchange.isCancelled {
                let wire = WireError(code: .internal, message: "The request ended without a reply")
                report(.handler, RouterFailure.noReply(exchange.type), exchange: exchange, sent: wire)
                sendError(wire, for: exchange)
            }
        } catch {
            handleThrown(error, by: exchange)
        }
        unregister(exchange)
        exchange.finish()
    }

    private func handleThrown(_ error: any Error, by exchange: MessageExchange) {
        if exchange.isCancelled { return }
        let wire: WireError
        if let error = error as? WireError {
            wire = error
        } else if let failure = error as? ValidationFailure {
            wire = WireError(validation: failure)
        } else if exchange.kind == .event, !options.sendInternalErrorOnThrow {
            report(.handler, error, exchange: exchange, sent: nil)
            return
        } else {
            wire = WireError(code: .internal, message: options.exposeErrorDetails ? String(describing: error) : nil)
        }
        let sent = sendError(wire, for: exchange)
        report(.handler, error, exchange: exchange, sent: sent.isAccepted ? wire : nil)
    }
}
