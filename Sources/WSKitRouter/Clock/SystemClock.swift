#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time and `Task.sleep`-based timers: the default ``RouterClock``.
///
/// A host with its own timer wheel (an event loop) can provide a cheaper clock; see
/// `docs/router-hosting.md`.
public struct SystemClock: RouterClock {
    /// Creates the clock.
    public init() {}

    /// `CLOCK_REALTIME` in milliseconds.
    public var nowMs: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec) / 1_000_000
    }

    /// A task that sleeps for the delay, then runs `action` unless cancelled.
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> RouterTimer {
        let task = Task {
            do {
                try await Task.sleep(for: max(delay, .zero))
            } catch {
                return
            }
            if Task.isCancelled { return }
            action()
        }
        return RouterTimer { task.cancel() }
    }
}
