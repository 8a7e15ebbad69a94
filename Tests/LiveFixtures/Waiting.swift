import Glibc

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Polls `condition` every `interval` (10 ms) for up to `timeout` seconds (30); returns its last
/// value. Waiting for a condition, rather than sleeping a guessed time, keeps tests green on a
/// loaded machine; the timeout only bounds how long a failing test hangs.
@discardableResult
public func eventually(
    timeout: Double = 30, interval: Duration = .milliseconds(10), _ condition: () async -> Bool
) async -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return await condition()
}
