import WSKitRedis
import WSKitLiveFixtures

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
