/// Where a `WebSocketClient` stands.
///
/// `closed → connecting → open → closing → closed`, with `reconnecting` while it waits out a
/// backoff delay after a connection failed or dropped (see ADR 0040).
public enum ClientState: Sendable, Hashable, CustomStringConvertible {
    /// Not connected, and not trying to (initially, after `close()`, or after giving up).
    case closed
    /// A connection attempt is in progress (token, TCP, opening handshake).
    case connecting
    /// Connected: messages and requests go straight out.
    case open
    /// `close()` was called and the closing handshake is in progress.
    case closing
    /// Waiting out the backoff delay before the next attempt.
    case reconnecting

    /// The state's name.
    public var description: String {
        switch self {
        case .closed: "closed"
        case .connecting: "connecting"
        case .open: "open"
        case .closing: "closing"
        case .reconnecting: "reconnecting"
        }
    }
}
