import Testing
import WSKitRateLimit
import WSKitTesting

/// The bucket arithmetic every limiter shares, and the in-memory limiter's bounds.
@Suite("Token bucket and in-memory limiter")
struct TokenBucketTests {
    let policy = RateLimitPolicy(capacity: 5, tokensPerSecond: 2)

    @Test("a new bucket is full; tokens come back one at a time, every 1000 / rate ms")
    func refillSteps() {
        var bucket = TokenBucket(capacity: 5, nowMs: 0)
        #expect(bucket.consume(5, nowMs: 0, policy: policy) == .allowed(remaining: 0))
        #expect(bucket.consume(1, nowMs: 499, policy: policy) == .denied(remaining: 0, retryAfterMs: 1))
        #expect(bucket.consume(1, nowMs: 500, policy: policy) == .allowed(remaining: 0))
        #expect(bucket.consume(2, nowMs: 1_000, policy: policy) == .denied(remaining: 1, retryAfterMs: 500))
        #expect(bucket.consume(2, nowMs: 1_500, policy: policy) == .allowed(remaining: 0))
    }

    @Test("a full bucket banks no time, and a long pause refills to capacity, not beyond")
    func fullBucketBanksNothing() {
        var bucket = TokenBucket(capacity: 5, nowMs: 0)
        #expect(bucket.consume(1, nowMs: 10_000, policy: policy) == .allowed(remaining: 4))
        // Had the 10 s of being full counted, the token taken would already be back at 10 001.
        #expect(bucket.consume(5, nowMs: 10_001, policy: policy) == .denied(remaining: 4, retryAfterMs: 499))
        #expect(bucket.consume(0, nowMs: .max / 4, policy: policy) == .allowed(remaining: 5))
    }

    @Test("a clock that goes backwards restarts the refill clock instead of stalling it")
    func clockGoingBackwards() {
        var bucket = TokenBucket(capacity: 5, nowMs: 100_000)
        #expect(bucket.consume(5, nowMs: 100_000, policy: policy).isAllowed)
        // The wall clock stepped back by a minute.
        #expect(bucket.consume(1, nowMs: 40_000, policy: policy) == .denied(remaining: 0, retryAfterMs: 500))
        #expect(bucket.consume(1, nowMs: 40_500, policy: policy) == .allowed(remaining: 0))
    }

    @Test("a cost above capacity is impossible and takes nothing; cost 0 only reads")
    func impossibleAndZero() {
        var bucket = TokenBucket(capacity: 5, nowMs: 0)
        #expect(bucket.consume(6, nowMs: 0, policy: policy) == .exceedsCapacity(remaining: 5))
        #expect(bucket.consume(0, nowMs: 0, policy: policy) == .allowed(remaining: 5))
        #expect(bucket.tokens == 5)
    }

    @Test("fractional rates: 0.1 token per second is one token every 10 s")
    func slowRates() {
        let slow = RateLimitPolicy(capacity: 1, tokensPerSecond: 0.1)
        var bucket = TokenBucket(capacity: 1, nowMs: 0)
        #expect(bucket.consume(1, nowMs: 0, policy: slow).isAllowed)
        #expect(bucket.consume(1, nowMs: 2_500, policy: slow) == .denied(remaining: 0, retryAfterMs: 7_500))
        #expect(bucket.consume(1, nowMs: 10_000, policy: slow).isAllowed)
    }

    @Test("the in-memory limiter forgets buckets that refilled completely")
    func idleBucketsAreEvicted() {
        let limiter = MemoryRateLimiter(policy: policy)
        for user in 0 ..< 500 { _ = limiter.consume("user-\(user)", cost: 5, nowMs: 0) }
        #expect(limiter.bucketCount == 500)
        // Emptied, 5 tokens at 2/s: every bucket is full again after 2.5 s; sweeps run on use.
        limiter.evictIdle(nowMs: 2_000)
        #expect(limiter.bucketCount == 500)
        // 300 keys touch every one of the 16 shards (all but certainly), and each sweeps.
        for late in 0 ..< 300 { _ = limiter.consume("late-\(late)", cost: 1, nowMs: 3_000) }
        #expect(limiter.bucketCount == 300)
        #expect(limiter.consume("user-1", cost: 5, nowMs: 3_000) == .allowed(remaining: 0))
    }

    @Test("a bucket nobody took from is never stored")
    func readsStoreNothing() {
        let limiter = MemoryRateLimiter(policy: policy)
        for user in 0 ..< 100 { _ = limiter.consume("user-\(user)", cost: 0, nowMs: 0) }
        _ = limiter.consume("big", cost: 6, nowMs: 0)
        #expect(limiter.bucketCount == 0)
    }

    @Test("at maxBuckets the least recently used buckets go first")
    func boundedByMaxBuckets() {
        let slow = RateLimitPolicy(capacity: 2, tokensPerSecond: 0.0001)
        let limiter = MemoryRateLimiter(policy: slow, maxBuckets: 1_600)
        for user in 0 ..< 10_000 { _ = limiter.consume("user-\(user)", cost: 1, nowMs: Int64(user)) }
        #expect(limiter.bucketCount <= 1_600)
        #expect(limiter.bucketCount >= 1_000)
        // The most recent keys are still remembered; the oldest were forgotten (a full bucket again).
        #expect(!limiter.consume("user-9999", cost: 2, nowMs: 10_000).isAllowed)
        #expect(limiter.consume("user-0", cost: 2, nowMs: 10_000).isAllowed)
    }

    @Test("an injected clock overrides the caller's time")
    func injectedClock() {
        let clock = FakeClock(nowMs: 0)
        let limiter = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 1, tokensPerSecond: 1), clock: clock)
        #expect(limiter.consume("k").isAllowed)
        #expect(limiter.consume("k", cost: 1, nowMs: 999_999) == .denied(remaining: 0, retryAfterMs: 1000))
        clock.set(nowMs: 1_000)
        #expect(limiter.consume("k").isAllowed)
    }

    @Test("concurrent callers on many threads never take more than the bucket holds")
    func concurrentConsumers() async {
        let limiter = MemoryRateLimiter(policy: RateLimitPolicy(capacity: 100, tokensPerSecond: 0.0001))
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0 ..< 8 {
                group.addTask {
                    var count = 0
                    for _ in 0 ..< 100 where limiter.consume("shared", cost: 1, nowMs: 0).isAllowed { count += 1 }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 100)
    }
}
