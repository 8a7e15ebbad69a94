import Synchronization
import WSKitRouter

/// The harness's stand-in for an event loop's coarse timer: a ``RouterTicker`` shared by every
/// test connection and driven by the fake clock. Ticks fall on multiples of ``tickInterval``
/// after the harness was created and fire while ``TestHarness/advance(by:)`` moves time past
/// them (in time order with the clock's timers), or at once with ``TestHarness/tick()``.
///
/// Ticks are not clock timers: they never count as leaks and `call(…)` does not fire them.
public final class TestTicker: RouterTicker {
    /// The period between ticks, in the fake clock's milliseconds.
    let tickIntervalMs: Int64
    /// The period between ticks.
    public var tickInterval: Duration { .milliseconds(tickIntervalMs) }

    private struct State {
        var handlers: [@Sendable (Int64) -> Void] = []
        var nextTickAt: Int64
        var count = 0
    }

    private let state: Mutex<State>

    init(tickIntervalMs: Int64, startMs: Int64) {
        precondition(tickIntervalMs > 0, "tickIntervalMs must be positive")
        self.tickIntervalMs = tickIntervalMs
        state = Mutex(State(nextTickAt: startMs + tickIntervalMs))
    }

    /// Registers a handler called on every tick.
    public func onTick(_ handler: @escaping @Sendable (_ nowMs: Int64) -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// How many ticks have fired.
    public var tickCount: Int { state.withLock { $0.count } }

    /// How many tick handlers are registered (plugins should register one per ticker, not one
    /// per connection).
    public var handlerCount: Int { state.withLock { $0.handlers.count } }

    /// When the next tick is due (fake-clock time).
    public var nextTickAt: Int64 { state.withLock { $0.nextTickAt } }

    /// Fires one tick at `nowMs` (handlers run synchronously, in registration order) and moves
    /// the next tick one period past the later of `nowMs` and the tick that was due.
    func fire(at nowMs: Int64) {
        let handlers = state.withLock { state -> [@Sendable (Int64) -> Void] in
            state.count += 1
            state.nextTickAt = max(state.nextTickAt, nowMs) + tickIntervalMs
            return state.handlers
        }
        for handler in handlers { handler(nowMs) }
    }

    /// Skips ticks due at or before `nowMs` without firing them (time jumped past them with
    /// nobody listening).
    func skip(through nowMs: Int64) {
        state.withLock { state in
            guard state.nextTickAt <= nowMs else { return }
            let missed = (nowMs - state.nextTickAt) / tickIntervalMs + 1
            state.nextTickAt += missed * tickIntervalMs
        }
    }

    /// Whether any handler is registered.
    var hasHandlers: Bool { state.withLock { !$0.handlers.isEmpty } }
}
