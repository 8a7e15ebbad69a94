import Glibc

/// Monotonic time.
enum Clock {
    /// Monotonic nanoseconds.
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Monotonic seconds.
    static func seconds() -> Double { Double(nanoseconds()) / 1e9 }

    /// Sleeps for `seconds`.
    static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        usleep(UInt32(min(seconds, 4000) * 1e6))
    }
}
