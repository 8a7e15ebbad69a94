import Synchronization

/// The unsent bytes of all of a server's connections, summed across its loops (ADR 0093), and
/// the cap on them (`ServerConfiguration.maxTotalBufferedBytes`).
///
/// Only backlogs count: bytes a connection still holds after a flush (the kernel would not take
/// them). A connection reports the change of its backlog after each flush that leaves or clears
/// one, so a connection whose output goes straight to the kernel never touches the total; the
/// send path only reads it, and only for a connection that is already backlogged.
final class BufferedBytesTotal: Sendable {
    /// The cap: at or above it, backlogged connections that send more are closed with 1013 and
    /// new upgrades get 503.
    let limit: Int
    private let total = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Adds a connection's backlog change (negative when it shrank).
    @inline(__always)
    func adjust(by delta: Int) { total.add(delta, ordering: .relaxed) }

    /// The summed backlogs now.
    var current: Int { total.load(ordering: .relaxed) }

    /// Whether the total has reached the cap.
    @inline(__always)
    var isOverLimit: Bool { total.load(ordering: .relaxed) >= limit }
}
