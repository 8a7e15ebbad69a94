/// Everything a Redis call can fail with.
///
/// Connection problems (`notConnected`, `connectionLost`, `closed`, `connectFailed`) mean the
/// command may or may not have run on the server, except `notConnected` and `closed` raised before
/// sending, which guarantee it was never written.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command was issued while the connection was down (connecting or waiting to
    /// reconnect); it was not sent. Commands fail fast instead of queueing (ADR 0030).
    case notConnected
    /// The connection broke while the command was in flight; it may have run.
    case connectionLost(String)
    /// The client was closed by `close()`.
    case closed
    /// A TCP connection (or the handshake on it) could not be established.
    case connectFailed(String)
    /// The server rejected the credentials (or requires some and none were configured).
    case authenticationFailed(String)
    /// No reply within the command's timeout. The reply, when it comes, is discarded.
    case timeout
    /// The calling task was cancelled while waiting. The reply, when it comes, is discarded.
    case cancelled
    /// The server answered with an error reply.
    case server(RedisServerError)
    /// The server sent bytes that are not RESP, or over a `RESPLimits` bound; the connection was
    /// closed.
    case protocolViolation(RESPError)
    /// The reply did not have the shape the call expected.
    case unexpectedReply(String)
    /// A `redis://` URL could not be parsed.
    case invalidURL(String)

    public var description: String {
        switch self {
        case .notConnected: "not connected to Redis"
        case let .connectionLost(reason): "connection to Redis lost: \(reason)"
        case .closed: "Redis client closed"
        case let .connectFailed(reason): "cannot connect to Redis: \(reason)"
        case let .authenticationFailed(message): "Redis authentication failed: \(message)"
        case .timeout: "Redis command timed out"
        case .cancelled: "Redis command cancelled"
        case let .server(error): "Redis error: \(error.message)"
        case let .protocolViolation(error): "Redis protocol violation: \(error)"
        case let .unexpectedReply(what): "unexpected Redis reply: \(what)"
        case let .invalidURL(reason): "invalid Redis URL: \(reason)"
        }
    }
}

/// An error reply from the server, such as `WRONGTYPE Operation against a key holding the wrong
/// kind of value`.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole message, starting with the code.
    public var message: String

    /// Creates an error from a server message.
    public init(message: String) { self.message = message }

    /// The first word of the message: `ERR`, `WRONGTYPE`, `NOSCRIPT`, `NOAUTH`, ...
    public var code: String { String(message.prefix { $0 != " " }) }

    public var description: String { message }
}
