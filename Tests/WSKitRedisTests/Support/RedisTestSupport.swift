import Glibc
import WSKitRedis
import WSKitTestSupport

extension RedisServerProcess {
    /// A configuration for this server with short timeouts and a fast reconnect.
    func configuration(
        protocolVersion: RedisProtocolVersion = .resp3, database: Int = 0, password: String? = nil
    ) -> RedisConfiguration {
        RedisConfiguration(
            port: port,
            password: password ?? self.password,
            database: database,
            protocolVersion: protocolVersion,
            connectTimeout: .seconds(5),
            commandTimeout: .seconds(10),
            reconnect: RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(300), jitter: 0.1)
        )
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

/// Whether `state` is `.disconnected`.
func isDisconnected(_ state: RedisConnectionState) -> Bool {
    if case .disconnected = state { return true }
    return false
}

/// The bulk-string reply for `text`.
func bulk(_ text: String) -> RedisValue { .bulkString(Array(text.utf8)) }

/// Runs `body` and returns the `RedisError` it threw, or `nil`.
func redisError<T>(_ body: () async throws(RedisError) -> T) async -> RedisError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
