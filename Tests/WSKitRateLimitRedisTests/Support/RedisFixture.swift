import Glibc
import WSKitRedis
import WSKitTestSupport

extension RedisServerProcess {
    /// A connected client of this server with short timeouts and a fast reconnect.
    func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(RedisConfiguration(
            port: port, password: password, connectTimeout: .seconds(5), commandTimeout: .seconds(10),
            reconnect: RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.1)))
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Polls `condition` every 10 ms for up to `timeout` seconds; returns its last value.
func eventually(timeout: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = monotonicSeconds() + timeout
    while monotonicSeconds() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
