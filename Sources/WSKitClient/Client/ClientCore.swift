import WSKitContract
import WSKitProtocol

/// The mutable state of a `WebSocketClient`, guarded by one lock.
struct ClientCore {
    var machine: ConnectionStateMachine
    /// Identifies the current connection attempt; events of older ones are ignored.
    var generation: UInt64 = 0
    var connection: WebSocketClientConnection?
    var subprotocol: String?
    var lastClose: WebSocketCloseInfo?
    var queue: OfflineQueue<QueuedFrame>
    var pending: [String: PendingRequest] = [:]
    var observers: [UInt64: AsyncStream<ClientState>.Continuation] = [:]
    var connectWaiters: [UInt64: CheckedContinuation<Result<Void, WebSocketClientError>, Never>] = [:]
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
    var reconnectTask: Task<Void, Never>?
    var reconnectToken: UInt64 = 0
    var nextID: UInt64 = 0
    /// The code and reason of the `close()` in progress.
    var closeRequest: (code: WebSocketCloseCode, reason: String) = (.normalClosure, "")
    /// How many connection attempts were started: the next one uses endpoint `attempts % count`.
    var attempts: Int = 0
    /// The URL of the current (or last) attempt.
    var endpoint: WebSocketURL?

    init(configuration: WebSocketClientConfiguration) {
        machine = ConnectionStateMachine(policy: configuration.reconnect)
        queue = OfflineQueue(policy: configuration.queuePolicy, capacity: configuration.queueCapacity)
    }

    mutating func makeID() -> UInt64 {
        nextID &+= 1
        return nextID
    }
}

/// What the offline queue holds: messages already serialised (their timestamp is the send time),
/// and requests, serialised at flush time so that `meta.timeoutMs` is the time they have left.
enum QueuedFrame {
    case message([UInt8])
    case request(id: String, type: String, meta: JSONObject, payload: JSONValue?)

    var requestID: String? {
        if case .request(let id, _, _, _) = self { return id }
        return nil
    }
}

/// A request awaiting its reply.
struct PendingRequest {
    let completion: OneShot<Result<Envelope, WebSocketClientError>>
    let progress: AsyncStream<JSONValue?>.Continuation?
    /// When the caller stops waiting, on the client's clock.
    let deadline: Duration
    /// The generation of the connection it was sent on; nil while queued.
    var sentOn: UInt64?
    var timeoutTask: Task<Void, Never>?

    /// Ends the request (the entry must already be removed from the table).
    func finish(_ outcome: Result<Envelope, WebSocketClientError>) {
        timeoutTask?.cancel()
        progress?.finish()
        completion.complete(outcome)
    }
}
