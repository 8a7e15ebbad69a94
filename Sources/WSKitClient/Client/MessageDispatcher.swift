import WSKitContract

/// Delivers inbound messages and issues to handlers, in arrival order, on one task of its own, so
/// application code never runs on the connection's I/O thread and a slow handler delays only
/// later messages, never the socket.
final class MessageDispatcher: Sendable {
    enum Delivery: Sendable {
        case message(Envelope)
        case issue(ClientIssue)
    }

    typealias MessageHandler = @Sendable (Envelope, MessageDispatcher, DecodeCache) async -> Void

    /// Decoded payloads of the message being dispatched, per message type, so that several
    /// handlers of one type validate (and report an invalid payload) once.
    final class DecodeCache {
        private var results: [ObjectIdentifier: Any] = [:]

        /// The payload of `envelope` decoded as `M`; reports `.invalidPayload` the first time.
        func payload<M: Message>(_ message: M.Type, of envelope: Envelope, dispatcher: MessageDispatcher) -> M.Payload? {
            let key = ObjectIdentifier(M.self)
            if let cached = results[key] { return cached as? M.Payload }
            switch M.decodePayload(envelope.payload) {
            case .success(let payload):
                results[key] = payload
                return payload
            case .failure(let failure):
                results[key] = failure
                dispatcher.report(.invalidPayload(type: M.type, failure))
                return nil
            }
        }
    }

    private struct Registry {
        var nextID: UInt64 = 0
        var handlers: [String: [(id: UInt64, handle: MessageHandler)]] = [:]
        var unhandled: [(id: UInt64, handle: @Sendable (Envelope) async -> Void)] = []
        var issueHandlers: [(id: UInt64, handle: @Sendable (ClientIssue) -> Void)] = []
    }

    private let registry = Locked(Registry())
    private let continuation: AsyncStream<Delivery>.Continuation

    init() {
        let (stream, continuation) = AsyncStream<Delivery>.makeStream(bufferingPolicy: .unbounded)
        self.continuation = continuation
        Task { [self] in
            for await delivery in stream {
                switch delivery {
                case .message(let envelope): await dispatch(envelope)
                case .issue(let issue): report(issue)
                }
            }
        }
    }

    /// Queues a message for its handlers (any thread).
    func deliver(_ envelope: Envelope) { continuation.yield(.message(envelope)) }

    /// Queues an issue for the issue handlers (any thread).
    func deliver(_ issue: ClientIssue) { continuation.yield(.issue(issue)) }

    /// Ends the delivery task once everything queued has been delivered.
    func finish() { continuation.finish() }

    func register(type: String, _ handle: @escaping MessageHandler) -> Subscription {
        let id = registry.withLock { registry -> UInt64 in
            registry.nextID &+= 1
            registry.handlers[type, default: []].append((registry.nextID, handle))
            return registry.nextID
        }
        return Subscription { [weak self] in
            self?.registry.withLock { registry in
                registry.handlers[type]?.removeAll { $0.id == id }
                if registry.handlers[type]?.isEmpty == true { registry.handlers[type] = nil }
            }
        }
    }

    func registerUnhandled(_ handle: @escaping @Sendable (Envelope) async -> Void) -> Subscription {
        let id = registry.withLock { registry -> UInt64 in
            registry.nextID &+= 1
            registry.unhandled.append((registry.nextID, handle))
            return registry.nextID
        }
        return Subscription { [weak self] in
            self?.registry.withLock { $0.unhandled.removeAll { $0.id == id } }
        }
    }

    func registerIssues(_ handle: @escaping @Sendable (ClientIssue) -> Void) -> Subscription {
        let id = registry.withLock { registry -> UInt64 in
            registry.nextID &+= 1
            registry.issueHandlers.append((registry.nextID, handle))
            return registry.nextID
        }
        return Subscription { [weak self] in
            self?.registry.withLock { $0.issueHandlers.removeAll { $0.id == id } }
        }
    }

    /// Calls every issue handler now (on the delivery task).
    func report(_ issue: ClientIssue) {
        let handlers = registry.withLock { $0.issueHandlers.map(\.handle) }
        for handle in handlers { handle(issue) }
    }

    private func dispatch(_ envelope: Envelope) async {
        let handlers = registry.withLock { $0.handlers[envelope.type]?.map(\.handle) ?? [] }
        if !handlers.isEmpty {
            let cache = DecodeCache()
            for handle in handlers { await handle(envelope, self, cache) }
            return
        }
        if envelope.type == ReservedType.error {
            let error = WireError.received(in: envelope)
            report(.serverError(error))
            return
        }
        let unhandled = registry.withLock { $0.unhandled.map(\.handle) }
        for handle in unhandled { await handle(envelope) }
    }
}
