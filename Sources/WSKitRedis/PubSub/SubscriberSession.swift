/// The pub/sub connection's session: remembers the wanted channels and patterns (restored after
/// every reconnect), matches subscribe confirmations to calls, and delivers messages.
struct SubscriberSession: RedisSession {
    typealias OpContinuation = CheckedContinuation<Result<Void, RedisError>, Never>

    enum Kind: String, Sendable {
        case subscribe, unsubscribe, psubscribe, punsubscribe
    }

    /// A sent (P)(UN)SUBSCRIBE waiting for one confirmation per name.
    struct Operation: Sendable {
        var kind: Kind
        var remaining: Int
        /// `nil` for the restore sent after a reconnect.
        var continuation: OpContinuation?
        /// Monotonic ns; 0 when none.
        var deadline: UInt64
    }

    /// Where messages go.
    enum Sink: Sendable {
        case stream(AsyncStream<RedisPubSubMessage>.Continuation, RedisDropCounter)
        case handler(@Sendable (RedisPubSubMessage) -> Void)
    }

    let sink: Sink
    let commandTimeout: Duration?
    private(set) var channels: Set<String> = []
    private(set) var patterns: Set<String> = []
    private var operations = RedisFIFO<Operation>()
    private var restoring = false

    init(sink: Sink, commandTimeout: Duration?) {
        self.sink = sink
        self.commandTimeout = commandTimeout
    }

    var nextDeadline: UInt64? {
        operations.indices.lazy.map { operations[$0].deadline }.filter { $0 != 0 }.min()
    }

    /// Records the wanted names and, when connected, sends the command; returns whether a
    /// confirmation is awaited through `continuation`.
    mutating func request(
        _ kind: Kind, _ names: [String], continuation: OpContinuation, connected: Bool, output: inout [UInt8]
    ) -> Bool {
        switch kind {
        case .subscribe: channels.formUnion(names)
        case .unsubscribe: channels.subtract(names)
        case .psubscribe: patterns.formUnion(names)
        case .punsubscribe: patterns.subtract(names)
        }
        guard connected else { return false }
        send(kind, names, continuation: continuation, output: &output)
        return true
    }

    private mutating func send(_ kind: Kind, _ names: [String], continuation: OpContinuation?, output: inout [UInt8]) {
        RESPEncoder.encodeCommand([RedisArgument(kind.rawValue.uppercased())] + names.map { RedisArgument($0) }, into: &output)
        let deadline = redisDeadline(after: commandTimeout)
        operations.append(Operation(kind: kind, remaining: names.count, continuation: continuation, deadline: deadline))
    }

    mutating func connectionReady(output: inout [UInt8], effects: inout RedisEffects) {
        if !channels.isEmpty { send(.subscribe, channels.sorted(), continuation: nil, output: &output) }
        if !patterns.isEmpty { send(.psubscribe, patterns.sorted(), continuation: nil, output: &output) }
        restoring = !operations.isEmpty
        if !restoring { effects.announceConnected = true }
    }

    mutating func receive(_ value: RedisValue, effects: inout RedisEffects) {
        let elements: [RedisValue]
        switch value {
        case let .push(items), let .array(items):
            elements = items
        case let .error(message):
            finishHead(.failure(.server(RedisServerError(message: message))), &effects)
            return
        default:
            return
        }
        guard let kind = elements.first?.string else { return }
        switch kind.lowercased() {
        case "message" where elements.count == 3:
            deliver(RedisPubSubMessage(channel: elements[1].string ?? "", payload: elements[2].bytes ?? []), &effects)
        case "pmessage" where elements.count == 4:
            deliver(RedisPubSubMessage(channel: elements[2].string ?? "", pattern: elements[1].string, payload: elements[3].bytes ?? []), &effects)
        case "subscribe", "unsubscribe", "psubscribe", "punsubscribe":
            guard let head = operations.first, head.kind.rawValue == kind.lowercased() else { return }
            if head.remaining <= 1 {
                finishHead(.success(()), &effects)
            } else {
                operations[operations.indices.lowerBound].remaining -= 1
            }
        default:
            return
        }
    }

    private mutating func finishHead(_ result: Result<Void, RedisError>, _ effects: inout RedisEffects) {
        guard let head = operations.popFirst() else { return }
        if let continuation = head.continuation {
            effects.actions.append { continuation.resume(returning: result) }
        }
        if restoring, !operations.indices.contains(where: { operations[$0].continuation == nil }) {
            restoring = false
            effects.announceConnected = true
        }
    }

    private func deliver(_ message: RedisPubSubMessage, _ effects: inout RedisEffects) {
        switch sink {
        case let .stream(continuation, drops):
            effects.actions.append {
                if case .dropped = continuation.yield(message) { drops.increment() }
            }
        case let .handler(handler):
            effects.actions.append { handler(message) }
        }
    }

    mutating func connectionLost(_ error: RedisError, effects: inout RedisEffects) {
        while let operation = operations.popFirst() {
            if let continuation = operation.continuation {
                effects.actions.append { continuation.resume(returning: .failure(error)) }
            }
        }
        restoring = false
        if error == .closed, case let .stream(continuation, _) = sink {
            effects.actions.append { continuation.finish() }
        }
    }

    func expire(now: UInt64, effects: inout RedisEffects) {
        // Confirmations are matched by order, so a late one cannot be told apart from the next:
        // a confirmation overdue means the connection is not healthy. Reconnect (which restores
        // every subscription) rather than guess.
        if operations.indices.contains(where: { operations[$0].deadline != 0 && operations[$0].deadline <= now }) {
            effects.disconnect = .timeout
        }
    }
}
