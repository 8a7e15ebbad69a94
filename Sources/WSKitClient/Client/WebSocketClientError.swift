import WSKitContract

/// The typed errors of `WebSocketClient`.
public enum WebSocketClientError: Error, Sendable, CustomStringConvertible {
    /// A payload failed validation: an outbound one (nothing was sent), or the reply to a request.
    case validation(ValidationFailure)
    /// No reply arrived within the request's timeout (the server was sent `$ws:abort`).
    case timeout(Duration)
    /// The server answered with `RPC_ERROR` (or a correlated `ERROR`): code, message, details,
    /// `retryable` and `retryAfterMs` as sent.
    case server(WireError)
    /// The connection ended before the reply arrived, or `close()` was called. Requests are never
    /// resent automatically: they may have reached the server.
    case connectionClosed(WebSocketCloseInfo)
    /// `connect()` gave up: the last attempt's failure, which the reconnect policy does not retry
    /// (or the attempts ran out).
    case connectionFailed(WebSocketCloseInfo)
    /// The call is not possible in the client's current state.
    case state(ClientStateError)
    /// The calling task was cancelled; for a request in flight, the server was sent `$ws:abort`.
    case cancelled

    /// The server's error, when this is `.server`.
    public var serverError: WireError? {
        if case .server(let error) = self { return error }
        return nil
    }

    /// A one-line summary.
    public var description: String {
        switch self {
        case .validation(let failure): "validation failed: \(failure)"
        case .timeout(let duration): "no reply within \(duration)"
        case .server(let error): "server error \(error)"
        case .connectionClosed(let info): "connection closed before the reply: \(info)"
        case .connectionFailed(let info): "connection failed: \(info)"
        case .state(let error): error.description
        case .cancelled: "cancelled"
        }
    }
}

/// Why a call is refused in the client's current state.
public enum ClientStateError: Sendable, Hashable, CustomStringConvertible {
    /// The client is closed (call `connect()` first, or enable `autoConnect`), or offline with the
    /// offline queue off.
    case notConnected
    /// `close()` is in progress.
    case closing
    /// `pendingRequestLimit` requests are already waiting for replies.
    case tooManyPendingRequests(limit: Int)
    /// The offline queue is full (`.dropNewest`).
    case queueFull(capacity: Int)
    /// The request was evicted from the offline queue by newer messages (`.dropOldest`).
    case evictedFromQueue

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notConnected: "not connected"
        case .closing: "the client is closing"
        case .tooManyPendingRequests(let limit): "too many pending requests (limit \(limit))"
        case .queueFull(let capacity): "the offline queue is full (\(capacity) messages)"
        case .evictedFromQueue: "evicted from the offline queue by newer messages"
        }
    }
}
