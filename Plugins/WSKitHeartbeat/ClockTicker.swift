import Synchronization
import WSKitRouter

/// A ``RouterTicker`` made of one repeating timer on the router's clock, for hosts that offer no
/// ticker of their own. It runs from its first handler on, for as long as it lives. Its times are
/// the clock's `nowMs` (wall-clock, not monotonic, unlike a server loop's ticker).
final class ClockTicker: RouterTicker {
    let tickIntervalMs: Int64
    var tickInterval: Duration { .milliseconds(tickIntervalMs) }
    private let clock: any RouterClock
    private let handlers = Mutex<[@Sendable (Int64) -> Void]>([])

    init(clock: any RouterClock, tickIntervalMs: Int64) {
        self.clock = clock
        self.tickIntervalMs = tickIntervalMs
    }

    func onTick(_ handler: @escaping @Sendable (_ nowMs: Int64) -> Void) {
        let first = handlers.withLock { handlers -> Bool in
            handlers.append(handler)
            return handlers.count == 1
        }
        if first { arm() }
    }

    private func arm() {
        _ = clock.schedule(after: .milliseconds(tickIntervalMs)) { [weak self] in self?.fire() }
    }

    private func fire() {
        let now = clock.nowMs
        for handler in handlers.withLock({ $0 }) { handler(now) }
        arm()
    }
}
