import Testing
import WSKitRateLimit
import WSKitRateLimitRedis
import WSKitRedis
import WSKitLiveFixtures

/// The Redis limiter against a real `redis-server` (started per suite; a missing `redis-server`
/// fails these tests, it never skips them).
@Suite("Redis rate limiter", .serialized)
struct RedisRateLimiterTests {
    let server: RedisServerProcess

    init() async throws {
        server = try await RedisServerProcess()
    }

    @Test("a full bucket, then denials with the time to the next token; the bucket is a hash with a TTL")
    func basics() async throws {
        let redis = try await server.connect()
        defer { redis.close() }
        // One token per 100 s: nothing refills while the test runs, however slow the machine.
        let limiter = RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 0.01, prefix: "t1:"))
        var decisions: [RateLimitDecision] = []
        for _ in 0 ..< 3 { decisions.append(try await limiter.consume("alice", cost: 1, nowMs: 0)) }
        #expect(decisions == [.allowed(remaining: 2), .allowed(remaining: 1), .allowed(remaining: 0)])
        let denied = try await limiter.consume("alice", cost: 1, nowMs: 0)
        #expect(!denied.isAllowed)
        #expect(denied.remaining == 0)
        let wait = try #require(denied.retryAfterMs)
        #expect(wait > 90_000 && wait <= 100_000, "retryAfterMs \(wait)")
        #expect(try await redis.send(["HGET", "t1:alice", "tokens"]).string == "0")
        #expect(try await redis.send(["EXISTS", "alice"]).int == 0)
        // TTL: twice the time to refill from empty (2 × 300 s).
        let ttl = try #require(try await redis.send(["PTTL", "t1:alice"]).int)
        #expect(ttl > 590_000 && ttl <= 600_000, "TTL \(ttl)")
        #expect(limiter.ttl == .seconds(600))
        #expect(RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 1)).ttl == .seconds(60))
        #expect(limiter.unavailableCount == 0)
    }

    @Test("tokens come back at the policy's rate, on Redis's clock (the caller's nowMs is ignored)")
    func refillOnServerTime() async throws {
        let redis = try await server.connect()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 2, tokensPerSecond: 2, prefix: "t2:"))
        // Absurd caller times change nothing: Redis's TIME decides.
        let start = monotonicSeconds()
        #expect(try await limiter.consume("k", cost: 2, nowMs: 0) == .allowed(remaining: 0))
        let denied = try await limiter.consume("k", cost: 1, nowMs: .max / 2)
        if monotonicSeconds() - start < 0.45 {
            #expect(!denied.isAllowed)
            #expect((denied.retryAfterMs ?? 0) > 0 && (denied.retryAfterMs ?? 0) <= 500)
        }
        try await Task.sleep(for: .milliseconds((denied.retryAfterMs ?? 0) + 30))
        #expect(try await limiter.consume("k", cost: 1, nowMs: 0).isAllowed)
        try await Task.sleep(for: .milliseconds(1_100))
        // Refilled to the capacity, not beyond.
        #expect(try await limiter.consume("k", cost: 0, nowMs: 0) == .allowed(remaining: 2))
    }

    @Test("a cost above the capacity is impossible and writes nothing; cost 0 only reads")
    func impossibleAndFree() async throws {
        let redis = try await server.connect()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 3, tokensPerSecond: 1, prefix: "t3:"))
        #expect(try await limiter.consume("big", cost: 4, nowMs: 0) == .exceedsCapacity(remaining: 3))
        #expect(try await redis.send(["EXISTS", "t3:big"]).int == 0)
        #expect(try await limiter.consume("free", cost: 0, nowMs: 0) == .allowed(remaining: 3))
    }

    @Test("after SCRIPT FLUSH (or a restart) EVALSHA's NOSCRIPT falls back to EVAL, which caches the script again")
    func noscriptFallback() async throws {
        let redis = try await server.connect()
        defer { redis.close() }
        let limiter = RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 5, tokensPerSecond: 1, prefix: "t4:"))
        try await limiter.preload()
        #expect(try await limiter.consume("k", cost: 1, nowMs: 0) == .allowed(remaining: 4))
        try await redis.send(["SCRIPT", "FLUSH"])
        #expect(try await limiter.consume("k", cost: 1, nowMs: 0) == .allowed(remaining: 3))
        let exists = try await redis.send(["SCRIPT", "EXISTS", .init(RedisRateLimiter.script.sha1)])
        #expect(exists.array?.first?.int == 1)
        #expect(limiter.unavailableCount == 0)
    }

    @Test("atomic under concurrency: 200 concurrent requests from 4 connections on one bucket take exactly its capacity")
    func atomicAcrossConnections() async throws {
        var connections: [RedisConnection] = []
        for _ in 0 ..< 4 { connections.append(try await server.connect()) }
        defer { for connection in connections { connection.close() } }
        let policy = RateLimitPolicy(capacity: 37, tokensPerSecond: 0.001, prefix: "t5:")
        let limiters = connections.map { RedisRateLimiter($0, policy: policy, timeout: .seconds(5)) }
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0 ..< 200 {
                let limiter = limiters[index % limiters.count]
                group.addTask { try await limiter.consume("shared", cost: 1, nowMs: 0).isAllowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 37)
        #expect(limiters.allSatisfy { $0.unavailableCount == 0 })
    }
}
