import WSKitProtocol

/// The client's lifecycle as a pure value: events in, state changes and effects out (ADR 0040).
///
/// It reads no clock and performs no I/O; the randomness for jitter is an argument. The client
/// (`WebSocketClient`) feeds it events under its lock and carries out the effects it returns.
struct ConnectionStateMachine {
    /// What the client must do after an event, in order.
    enum Effect: Equatable {
        /// Report the new state to observers.
        case transition(ClientState)
        /// Open a new connection (fetch a token, connect, handshake).
        case startAttempt
        /// Wait `delay`, then call `reconnectDelayElapsed()`.
        case scheduleReconnect(delay: Duration, attempt: Int)
        /// Cancel the pending reconnect delay.
        case cancelReconnect
        /// Start the closing handshake on the open connection.
        case closeConnection
        /// Drop the connection attempt in progress.
        case abortConnection
        /// Send what the offline queue holds, in order.
        case flushQueue
        /// Empty the offline queue, rejecting its requests.
        case clearQueue
        /// Reject the requests that were sent and await an answer (their connection is gone).
        case rejectSentRequests
        /// Reject the requests still in the offline queue (the client gave up).
        case rejectQueuedRequests
        /// Resume `connect()` callers: the connection is open.
        case resolveConnectWaiters
        /// Fail `connect()` callers: the client gave up, or was closed.
        case failConnectWaiters
        /// Resume `close()` callers: the client is closed.
        case resolveCloseWaiters
    }

    let policy: ReconnectPolicy
    private(set) var state = ClientState.closed
    /// Consecutive failed attempts since the last successful open.
    private(set) var attempt = 0
    /// Set by `close()`; cleared by `connect()`. While set the client never reconnects.
    private(set) var closedManually = false
    /// `connect()` was called while closing: connect again once closed.
    private(set) var connectAfterClose = false

    init(policy: ReconnectPolicy) {
        self.policy = policy
    }

    /// `connect()` was called. Idempotent: nothing happens unless the client is closed.
    mutating func connect() -> [Effect] {
        switch state {
        case .closed:
            closedManually = false
            attempt = 0
            state = .connecting
            return [.transition(.connecting), .startAttempt]
        case .closing:
            connectAfterClose = true
            return []
        case .connecting, .open, .reconnecting:
            return []
        }
    }

    /// The opening handshake of the current attempt succeeded.
    mutating func opened() -> [Effect] {
        guard state == .connecting else { return [] }
        state = .open
        attempt = 0
        return [.transition(.open), .flushQueue, .resolveConnectWaiters]
    }

    /// The current connection (or attempt) ended. `unit` is a random number in `0 ..< 1`.
    mutating func disconnected(_ close: WebSocketCloseInfo, unit: Double) -> [Effect] {
        switch state {
        case .closing:
            state = .closed
            var effects: [Effect] = [.transition(.closed), .rejectSentRequests, .resolveCloseWaiters]
            if connectAfterClose {
                connectAfterClose = false
                effects += connect()
            }
            return effects
        case .open, .connecting:
            var effects: [Effect] = state == .open ? [.rejectSentRequests] : []
            if policy.isEnabled, !closedManually, policy.allowsReconnect(after: close),
               policy.maxAttempts.map({ attempt < $0 }) ?? true {
                attempt += 1
                state = .reconnecting
                effects += [
                    .transition(.reconnecting),
                    .scheduleReconnect(delay: policy.delay(forAttempt: attempt, unit: unit), attempt: attempt),
                ]
            } else {
                state = .closed
                effects += [.transition(.closed), .failConnectWaiters, .rejectQueuedRequests, .resolveCloseWaiters]
            }
            return effects
        case .closed, .reconnecting:
            return []
        }
    }

    /// The backoff delay passed.
    mutating func reconnectDelayElapsed() -> [Effect] {
        guard state == .reconnecting else { return [] }
        state = .connecting
        return [.transition(.connecting), .startAttempt]
    }

    /// `close()` was called: stop, and never reconnect until the next `connect()`.
    mutating func close() -> [Effect] {
        closedManually = true
        connectAfterClose = false
        switch state {
        case .closed:
            return [.clearQueue, .resolveCloseWaiters]
        case .reconnecting:
            state = .closed
            return [.cancelReconnect, .transition(.closed), .clearQueue, .failConnectWaiters, .resolveCloseWaiters]
        case .connecting:
            state = .closing
            return [.transition(.closing), .abortConnection, .clearQueue, .failConnectWaiters]
        case .open:
            state = .closing
            return [.transition(.closing), .closeConnection, .clearQueue, .rejectSentRequests]
        case .closing:
            return []
        }
    }
}
