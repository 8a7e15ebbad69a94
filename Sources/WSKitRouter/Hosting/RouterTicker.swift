/// A host's coarse periodic timer, shared by every connection of one event loop (ADR 0004): what
/// plugins use for periodic per-connection work — heartbeat pings and stale checks — instead of
/// one timer per connection.
///
/// A host hands it out per connection through ``RouterTransport/ticker``; connections of one loop
/// get the **same** ticker object, so a plugin registers one handler per ticker and sweeps that
/// loop's connections from it, on the loop's thread.
///
/// Implementations: the `WSKit` glue wraps `EventLoop.onTick`; the test harness drives one from
/// its fake clock (``TestHarness/advance(by:)``).
public protocol RouterTicker: AnyObject, Sendable {
    /// The period between ticks: the resolution of everything driven by ticks
    /// (work due between two ticks runs at the next one).
    var tickInterval: Duration { get }

    /// Calls `handler` on every tick, on the ticker's thread, with the ticker's monotonic time in
    /// milliseconds. Handlers live as long as the ticker and cannot be removed: capture what they
    /// use weakly.
    func onTick(_ handler: @escaping @Sendable (_ nowMs: Int64) -> Void)
}
