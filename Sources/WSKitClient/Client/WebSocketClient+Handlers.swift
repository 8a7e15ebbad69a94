import WSKitContract

/// Handlers for what the server sends on its own (messages that are not replies).
extension WebSocketClient {
    /// Calls `handler` for every `M` message the server sends (replies to requests excepted).
    ///
    /// Several handlers may be registered per type; they run in registration order, one message
    /// at a time in arrival order, on the client's delivery task (never on the I/O thread). A
    /// handler that throws is reported as `.handlerFailed` and does not stop the others; a payload
    /// that fails `M`'s validation is reported as `.invalidPayload`.
    @discardableResult
    public func on<M: Message>(_ message: M.Type, _ handler: @escaping @Sendable (Received<M>) async throws -> Void) -> Subscription {
        dispatcher.register(type: M.type) { envelope, dispatcher, cache in
            guard let payload = cache.payload(M.self, of: envelope, dispatcher: dispatcher) else { return }
            do {
                try await handler(Received(payload: payload, meta: envelope.meta))
            } catch {
                dispatcher.report(.handlerFailed(type: M.type, error: String(describing: error)))
            }
        }
    }

    /// Every `M` message the server sends, as an `AsyncStream` (ends when iteration stops).
    public func messages<M: Message>(of message: M.Type) -> AsyncStream<Received<M>> {
        let (stream, continuation) = AsyncStream<Received<M>>.makeStream(bufferingPolicy: .unbounded)
        let subscription = on(M.self) { received in continuation.yield(received) }
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }

    /// Calls `handler` for messages no `on` handler is registered for (unknown types).
    @discardableResult
    public func onUnhandled(_ handler: @escaping @Sendable (Envelope) async -> Void) -> Subscription {
        dispatcher.registerUnhandled(handler)
    }

    /// Calls `handler` for each `ClientIssue`: malformed messages, invalid payloads, failed
    /// handlers and uncorrelated server errors.
    @discardableResult
    public func onError(_ handler: @escaping @Sendable (ClientIssue) -> Void) -> Subscription {
        dispatcher.registerIssues(handler)
    }

    /// Every `ClientIssue`, as an `AsyncStream` (ends when iteration stops).
    public func issues() -> AsyncStream<ClientIssue> {
        let (stream, continuation) = AsyncStream<ClientIssue>.makeStream(bufferingPolicy: .unbounded)
        let subscription = onError { issue in continuation.yield(issue) }
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }
}
