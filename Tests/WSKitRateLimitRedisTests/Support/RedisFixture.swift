import WSKitRedis
import WSKitLiveFixtures

extension RedisServerProcess {
    /// A connected client of this server with short timeouts and a fast reconnect.
    func connect() async throws -> RedisConnection {
        try await RedisConnection.connect(RedisConfiguration(
            port: port, password: password, connectTimeout: .seconds(5), commandTimeout: .seconds(10),
            reconnect: RedisReconnectBackoff(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.1)))
    }
}
