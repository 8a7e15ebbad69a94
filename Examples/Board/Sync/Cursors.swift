/// Every connection's ``CursorThrottle``, by connection id.
public final class Cursors: Sendable {
    /// The shortest time between two positions forwarded for one user.
    public let intervalMs: Int64
    private let throttles = Mutex<[String: CursorThrottle]>([:])

    /// At most `perSecond` positions a second per user.
    public init(perSecond: Int = 20) { intervalMs = Int64(1000 / max(1, perSecond)) }

    /// A position from `client`: what to do with it.
    public func offer(_ cursor: BoardCursor, from client: String, now: Int64) -> CursorThrottle.Decision {
        throttles.withLock { throttles in
            var throttle = throttles[client] ?? CursorThrottle(intervalMs: intervalMs)
            defer { throttles[client] = throttle }
            return throttle.offer(cursor, now: now)
        }
    }

    /// The scheduled flush for `client`: the position to send, if any.
    public func flush(_ client: String, now: Int64) -> BoardCursor? {
        throttles.withLock { $0[client]?.flush(now: now) }
    }

    /// `client` left.
    public func remove(_ client: String) {
        throttles.withLock { $0[client] = nil }
    }
}
