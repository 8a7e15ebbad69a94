/// The time source of `WebSocketClient`'s timers (reconnect delays, request timeouts). Inject a
/// manual clock to test them without waiting.
public protocol ClientClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's monotonic clock (`ContinuousClock`).
public struct SystemClientClock: ClientClock {
    /// Creates the clock.
    public init() {}

    /// Monotonic time since an arbitrary origin.
    public func now() -> Duration {
        .nanoseconds(Int64(truncatingIfNeeded: PlatformClock.monotonicNanoseconds()))
    }

    /// Sleeps on `ContinuousClock`.
    public func sleep(for duration: Duration) async throws {
        try await ContinuousClock().sleep(for: duration)
    }
}
