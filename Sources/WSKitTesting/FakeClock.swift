import Synchronization
import WSKitRouter

/// A ``RouterClock`` whose time moves only when a test says so. Timers fire in deadline order,
/// synchronously, from ``fireNext(upTo:)`` (which ``TestHarness/advance(by:)`` drives).
public final class FakeClock: RouterClock {
    private struct PendingTimer {
        let deadline: Int64
        let sequence: Int
        let action: @Sendable () -> Void
    }

    private struct State {
        var now: Int64
        var nextSequence = 0
        var timers: [Int: PendingTimer] = [:]
    }

    private let state: Mutex<State>

    /// Creates a clock reading `nowMs` (Unix ms; default 2023-11-14T22:13:20Z).
    public init(nowMs: Int64 = 1_700_000_000_000) {
        state = Mutex(State(now: nowMs))
    }

    /// The fake time.
    public var nowMs: Int64 { state.withLock { $0.now } }

    /// Registers a timer; it fires when the time is advanced to its deadline.
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> RouterTimer {
        let delayMs = delay.wholeMilliseconds
        let sequence = state.withLock { state -> Int in
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.timers[sequence] = PendingTimer(deadline: state.now + max(delayMs, 0), sequence: sequence, action: action)
            return sequence
        }
        return RouterTimer { [weak self] in
            _ = self?.state.withLock { $0.timers.removeValue(forKey: sequence) }
        }
    }

    /// Timers scheduled and neither fired nor cancelled.
    public var pendingTimerCount: Int { state.withLock { $0.timers.count } }

    /// The deadlines of pending timers, earliest first.
    public var pendingDeadlines: [Int64] {
        state.withLock { $0.timers.values.map(\.deadline).sorted() }
    }

    /// Fires the earliest pending timer due at or before `limit`, first moving the time to its
    /// deadline. Returns whether one fired.
    @discardableResult
    public func fireNext(upTo limit: Int64 = .max) -> Bool {
        let due = state.withLock { state -> PendingTimer? in
            guard let next = state.timers.values.min(by: { ($0.deadline, $0.sequence) < ($1.deadline, $1.sequence) }),
                  next.deadline <= limit else { return nil }
            state.timers.removeValue(forKey: next.sequence)
            state.now = max(state.now, next.deadline)
            return next
        }
        guard let due else { return false }
        due.action()
        return true
    }

    /// Sets the time (never backwards) without firing timers.
    public func set(nowMs: Int64) {
        state.withLock { $0.now = max($0.now, nowMs) }
    }
}
