/// What a connection does with replies: the part that differs between the command connection
/// and the pub/sub connection. The driver calls every method with its lock held, on the I/O
/// thread or (for `connectionLost(.closed)`) on the thread that called `close()`; anything that
/// resumes callers goes into `effects` and runs after the lock is released.
protocol RedisSession: Sendable {
    /// The handshake finished: append what must be sent first (resubscriptions) to `output`, and
    /// set `effects.announceConnected` now or after later replies.
    mutating func connectionReady(output: inout [UInt8], effects: inout RedisEffects)
    /// One value from the server, in order.
    mutating func receive(_ value: RedisValue, effects: inout RedisEffects)
    /// The connection is gone (`.closed` when the user closed the client): fail what is pending.
    mutating func connectionLost(_ error: RedisError, effects: inout RedisEffects)
    /// Called when `now` reached `nextDeadline`.
    mutating func expire(now: UInt64, effects: inout RedisEffects)
    /// The earliest time `expire` has work to do, if any.
    var nextDeadline: UInt64? { get }
}

/// Work a session asks the driver to do once its lock is released.
struct RedisEffects {
    typealias ReplyContinuation = CheckedContinuation<Result<RedisValue, RedisError>, Never>

    /// Command replies to hand back (kept apart from `actions` to avoid a closure per reply).
    var replies: [(ReplyContinuation, Result<RedisValue, RedisError>)] = []
    /// Anything else, run in order.
    var actions: [@Sendable () -> Void] = []
    /// Announce the connection as up.
    var announceConnected = false
    /// Drop the connection (and reconnect) with this error.
    var disconnect: RedisError?

    mutating func run() {
        for (continuation, result) in replies { continuation.resume(returning: result) }
        for action in actions { action() }
        replies.removeAll(keepingCapacity: true)
        actions.removeAll(keepingCapacity: true)
    }
}

/// The state of a connection as callers see it.
public enum RedisConnectionState: Sendable, Hashable {
    /// Before the first connection completed its handshake.
    case connecting
    /// Connected and usable (for a subscriber: its subscriptions are restored).
    case connected
    /// Down, with the reason; the client is reconnecting with backoff. Commands fail fast with
    /// `RedisError.notConnected`.
    case disconnected(RedisError)
    /// Closed by `close()`; final.
    case closed
}

/// Whether a submitted command can be written now.
enum RedisAvailability: Equatable {
    case ready(RedisProtocolVersion)
    case notConnected
    case closed

    /// The error a command issued now fails with, if any.
    var error: RedisError? {
        switch self {
        case .ready: nil
        case .notConnected: .notConnected
        case .closed: .closed
        }
    }
}
