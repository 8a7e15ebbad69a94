/// What became of a message passed to `WebSocketClient.send`.
public enum SendOutcome: Sendable, Hashable {
    /// Handed to the open connection.
    case sent
    /// Held in the offline queue; it goes out, in order, when the connection opens.
    case queued
    /// Dropped: the client is offline and the queue is off or full (under `.dropNewest`), or the
    /// client is closing.
    case dropped
}
