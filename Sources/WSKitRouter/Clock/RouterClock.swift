/// The router's source of time and timers. Every timestamp the router and its plugins write
/// (`receivedAt`, outbound `meta.timestamp`, RPC deadlines, progress throttling) and every timer
/// they start goes through the clock given to ``Router/build(plugins:options:clock:observers:)``, so
/// a test harness can replace it with a fake one and drive time by hand.
public protocol RouterClock: Sendable {
    /// The current time in Unix milliseconds.
    var nowMs: Int64 { get }

    /// Runs `action` once, `delay` from now (at once, but not synchronously, when `delay` is zero
    /// or negative; millisecond resolution). The action may run on any thread.
    ///
    /// Cancelling the returned timer before it fires guarantees the action will not start.
    func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> RouterTimer
}
