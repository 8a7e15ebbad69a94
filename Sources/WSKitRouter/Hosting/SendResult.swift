/// What became of an outbound frame.
public enum SendResult: Sendable, Hashable {
    /// Written to the socket (or to the host's output buffer for this loop iteration).
    case sent
    /// Accepted, but queued behind earlier data because the peer reads slowly.
    case buffered
    /// Not sent: the connection is closed or closing, the host's buffer limit was hit, or the
    /// router suppressed the frame (a second RPC terminal, progress after the reply, a payload that
    /// failed outbound validation).
    case dropped

    /// Whether the frame was accepted for delivery (`sent` or `buffered`).
    @inlinable public var isAccepted: Bool { self != .dropped }
}
