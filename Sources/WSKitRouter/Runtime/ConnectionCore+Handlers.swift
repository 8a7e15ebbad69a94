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

    /// Tracks the exchange and runs `handler(context)` (the middleware chain and handler) in a
    /// task that starts synchronously on this thread and resumes on the connection's executor.
    ///
    /// One task and one closure, specialised for the context in the application's module: the
    /// task's body applies the answer rules itself rather than going through ``spawn(_:)``, a
    /// separate async function and a wrapping closure, since every extra async layer costs a
    /// task-allocator frame and an executor check on entry and on return.
    @inlinable
    func startHandler<Context: Sendable>(
        of exchange: MessageExchange, context: Context, _ handler: @escaping @Sendable (Context) async throws -> Void
    ) {
        guard register(exchange) else {
            exchange.finish()
            return
        }
        let tracker = tracker
        tracker.started()
        let task = Task.immediate(executorPreference: executor) { [self] in
            do {
                if !exchange.isCancelled { try await handler(context) }
                handlerReturned(exchange)
            } catch {
                handleThrown(error, by: exchange)
            }
            handlerEnded(exchange)
            tracker.ended()
        }
        exchange.setTask(task)
    }

    /// Tracks the exchange and runs a synchronous `handler(context)` inline on this thread, with
    /// no task: the fast path for a synchronous handler on a route without middleware (ADR 0021).
    ///
    /// The rules are those of ``startHandler(of:context:_:)``: the exchange is registered while the
    /// handler runs (a disconnect meanwhile cancels it, so its missing reply is not reported), a
    /// handler of an exchange cancelled before it started does not run, and the same answer rules
    /// apply when it returns or throws. It cannot be interrupted: a cancellation while it runs
    /// (a deadline timer firing on another thread) decides the terminal answer, and the handler's
    /// own answers are dropped.
    @inlinable
    func runHandler<Context>(of exchange: MessageExchange, context: Context, _ handler: (Context) throws -> Void) {
        guard register(exchange) else {
            exchange.finish()
            return
        }
        do {
            if !exchange.isCancelled { try handler(context) }
            handlerReturned(exchange)
        } catch {
            handleThrown(error, by: exchange)
        }
        handlerEnded(exchange)
    }

    /// Stops tracking an exchange whose handler has ended, and finishes it.
    @usableFromInline
    func handlerEnded(_ exchange: MessageExchange) {
        unregister(exchange)
        exchange.finish()
    }

    /// The answer rules once a message's middleware chain and handler returned: an RPC that
    /// ended without a terminal gets `INTERNAL`. A cancelled exchange is answered (or
    /// deliberately not) by whoever cancelled it. (A thrown `WireError` is sent as is, any other
    /// ``WireErrorConvertible`` (a `ValidationFailure` too) as its `wireError`, anything else as
    /// `INTERNAL`, details hidden unless ``RouterOptions/exposeErrorDetails``: see `handleThrown`.)
    @usableFromInline
    func handlerReturned(_ exchange: MessageExchange) {
        if exchange.kind == .rpc, !exchange.isTerminated, !exchange.isCancelled {
            let wire = WireError(code: .internal, message: "The request ended without a reply")
            report(.handler, RouterFailure.noReply(exchange.type), exchange: exchange, sent: wire)
            sendError(wire, for: exchange)
        }
    }

    @usableFromInline
    func handleThrown(_ error: any Error, by exchange: MessageExchange) {
        if exchange.isCancelled { return }
        let wire: WireError
        if let error = error as? any WireErrorConvertible {
            wire = error.wireError
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
