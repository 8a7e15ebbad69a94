#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system clocks the client reads: monotonic time for deadlines, wall time for
/// `meta.timestamp`.
enum PlatformClock {
    /// Monotonic time in nanoseconds (never goes backwards; unrelated to the wall clock).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// A duration in nanoseconds for deadline arithmetic: 0 when negative, `UInt64.max` on overflow.
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        duration.saturatingNanoseconds
    }

    /// Wall-clock time in Unix milliseconds.
    static func unixMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) &* 1000 &+ Int64(ts.tv_nsec) / 1_000_000
    }
}
