/// One user's cursor, throttled: at most one position per `intervalMs` goes out, and positions
/// that arrive meanwhile are coalesced into the latest, sent when the interval ends. Pure: the
/// caller supplies the clock and does the sending and the scheduling.
public struct CursorThrottle: Sendable {
    /// What the caller does with an offered position.
    public enum Decision: Sendable, Equatable {
        /// Send it now.
        case sendNow
        /// Keep it; call ``flush(now:)`` after this many milliseconds.
        case flushLater(afterMs: Int64)
        /// Kept; a flush is already scheduled.
        case coalesced
    }

    /// The shortest time between two positions sent.
    public let intervalMs: Int64
    private var lastSent: Int64?
    /// The position waiting for the next slot.
    public private(set) var pending: BoardCursor?
    private var flushScheduled = false

    /// At most `1000 / intervalMs` positions a second.
    public init(intervalMs: Int64) { self.intervalMs = intervalMs }

    /// A new position from the user.
    public mutating func offer(_ cursor: BoardCursor, now: Int64) -> Decision {
        if let lastSent, now - lastSent < intervalMs {
            pending = cursor
            if flushScheduled { return .coalesced }
            flushScheduled = true
            return .flushLater(afterMs: intervalMs - (now - lastSent))
        }
        lastSent = now
        pending = nil
        return .sendNow
    }

    /// The scheduled flush: the latest pending position, to send now.
    public mutating func flush(now: Int64) -> BoardCursor? {
        flushScheduled = false
        guard let cursor = pending else { return nil }
        pending = nil
        lastSent = now
        return cursor
    }
}
