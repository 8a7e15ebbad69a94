import Synchronization
import Testing
import WSKitRateLimit
import WSKitRateLimitRedis
import WSKitRedis
import WSKitLiveFixtures

/// What the Redis limiter does while Redis cannot answer: each policy, the counters and the
/// callback, and recovery.
@Suite("Redis rate limiter during outages", .serialized)
struct RedisOutageTests {
    final class Failures: Sendable {
        private let errors = Mutex<[RedisError]>([])
        func append(_ error: RedisError) { errors.withLock { $0.append(error) } }
        var count: Int { errors.withLock { $0.count } }
    }

    @Test("down: .local keeps limiting with per-instance buckets, .failOpen lets through, .failClosed throws; back: Redis decides again")
    func policies() async throws {
        let server = try await RedisServerProcess()
        let redis = try await server.connect()
        defer { redis.close() }
        let policy = RateLimitPolicy(capacity: 2, tokensPerSecond: 0.001, prefix: "o1:")
        let failures = Failures()
        let local = RedisRateLimiter(redis, policy: policy) { failures.append($0) }
        let open = RedisRateLimiter(redis, policy: policy, outage: .failOpen)
        let closed = RedisRateLimiter(redis, policy: policy, outage: .failClosed)
        #expect(local.outage == .local)
        #expect(try await local.consume("shared", cost: 1, nowMs: 0) == .allowed(remaining: 1))

        server.kill()
        #expect(await eventually { if case .disconnected = redis.state { true } else { false } })
        // Local buckets: a fresh bucket per key on this instance, same policy.
        #expect(try await local.consume("shared", cost: 1, nowMs: 1_000) == .allowed(remaining: 1))
        #expect(try await local.consume("shared", cost: 1, nowMs: 1_000) == .allowed(remaining: 0))
        #expect(!(try await local.consume("shared", cost: 1, nowMs: 1_000)).isAllowed)
        #expect(local.unavailableCount == 3)
        #expect(failures.count == 3)
        for _ in 0 ..< 5 { #expect(try await open.consume("shared", cost: 1, nowMs: 0).isAllowed) }
        await #expect(throws: RateLimiterError.self) { try await closed.consume("shared", cost: 1, nowMs: 0) }
        #expect(closed.unavailableCount == 1)

        try await server.start()
        #expect(await eventually { redis.state == .connected })
        // Redis forgot everything (no persistence): its bucket is full again and decides.
        #expect(try await closed.consume("shared", cost: 1, nowMs: 0) == .allowed(remaining: 1))
        #expect(try await local.consume("shared", cost: 1, nowMs: 0) == .allowed(remaining: 0))
        #expect(local.unavailableCount == 3)
    }

    @Test("a decision waits at most `timeout` for a stalled Redis, then the outage policy applies")
    func timeout() async throws {
        let server = try await RedisServerProcess()
        let redis = try await server.connect()
        let admin = try await server.connect()
        defer {
            redis.close()
            admin.close()
        }
        let limiter = RedisRateLimiter(
            redis, policy: RateLimitPolicy(capacity: 5, tokensPerSecond: 1, prefix: "o2:"), timeout: .milliseconds(100),
            outage: .failClosed)
        #expect(try await limiter.consume("k", cost: 1, nowMs: 0).isAllowed)
        try await admin.send(["CLIENT", "PAUSE", "400", "ALL"])
        let start = monotonicSeconds()
        await #expect(throws: RateLimiterError.self) { try await limiter.consume("k", cost: 1, nowMs: 0) }
        let waited = monotonicSeconds() - start
        #expect(waited < 0.9, "waited \(waited) s")
        #expect(limiter.unavailableCount == 1)
        // The pause ends by itself; the late reply is discarded and the next decision is Redis's.
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await limiter.consume("k", cost: 0, nowMs: 0).isAllowed)
    }
}
