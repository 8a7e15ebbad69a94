import Synchronization
import WSKitRouter

/// Token buckets in this process's memory: the default ``RateLimiter``.
///
/// - **Time** comes from the caller (`nowMs`: the router's clock, so `WSKitTesting`'s fake clock
///   drives it) unless a `clock` is given here.
/// - **Bounded memory.** A bucket that has refilled completely is indistinguishable from a new one
///   and is forgotten: when a shard is used and its last sweep is one refill period (at least 1 s)
///   old, it drops such idle buckets. At ``maxBuckets`` the least recently used buckets are
///   dropped too (which hands their keys a full bucket again: size ``maxBuckets`` above your
///   active key count).
/// - **Concurrency.** Keys are spread over 16 shards, each behind its own lock held for a few
///   hundred nanoseconds; no call suspends.
public final class MemoryRateLimiter: RateLimiter {
    /// The policy of every bucket.
    public let policy: RateLimitPolicy
    /// The most buckets kept; beyond it the least recently used are dropped.
    public let maxBuckets: Int

    private let clock: (any RouterClock)?
    private let shards: [MemoryRateLimiterShard]
    private let sweepIntervalMs: Int64

    private static let shardCount = 16

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - policy: must be valid (``RateLimitPolicy/validate()``); an invalid one traps.
    ///   - clock: where time comes from; `nil` (the default) uses the caller's `nowMs`, which the
    ///     rate limit plugin takes from the router's clock.
    ///   - maxBuckets: the most buckets kept at once (at least 16).
    public init(policy: RateLimitPolicy, clock: (any RouterClock)? = nil, maxBuckets: Int = 100_000) {
        precondition(policy.problems.isEmpty, "invalid rate limit policy: \(policy.problems.joined(separator: "; "))")
        self.policy = policy
        self.clock = clock
        self.maxBuckets = max(maxBuckets, Self.shardCount)
        let perShard = max(self.maxBuckets / Self.shardCount, 1)
        shards = (0 ..< Self.shardCount).map { _ in MemoryRateLimiterShard(limit: perShard) }
        sweepIntervalMs = Int64(min(max(policy.fullRefillMs.rounded(.up), 1000), 86_400_000))
    }

    /// Takes `cost` tokens from `key`'s bucket if there are enough. Never throws.
    public func consume(_ key: String, cost: Int, nowMs: Int64) -> RateLimitDecision {
        let now = clock?.nowMs ?? nowMs
        let fullKey = policy.prefix.isEmpty ? key : policy.prefix + key
        return shard(for: fullKey).consume(
            fullKey, cost: cost, nowMs: now, policy: policy, sweepIntervalMs: sweepIntervalMs)
    }

    /// Takes `cost` tokens at this limiter's clock's time (or the wall clock without one).
    public func consume(_ key: String, cost: Int = 1) -> RateLimitDecision {
        consume(key, cost: cost, nowMs: (clock ?? SystemClock()).nowMs)
    }

    /// Buckets currently kept (all shards).
    public var bucketCount: Int { shards.reduce(0) { $0 + $1.count } }

    /// Forgets every bucket that is full at `nowMs` (sweeps also happen by themselves on use).
    public func evictIdle(nowMs: Int64) {
        for shard in shards { shard.sweep(nowMs: nowMs, policy: policy) }
    }

    /// Forgets every bucket.
    public func removeAll() {
        for shard in shards { shard.removeAll() }
    }

    private func shard(for key: String) -> MemoryRateLimiterShard {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }
}

/// One lock's worth of buckets.
final class MemoryRateLimiterShard: Sendable {
    private struct Entry {
        var bucket: TokenBucket
        var usedAtMs: Int64
    }

    private struct State {
        var buckets: [String: Entry] = [:]
        var nextSweepAtMs: Int64 = .min
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLock { $0.buckets.count } }

    func consume(
        _ key: String, cost: Int, nowMs: Int64, policy: RateLimitPolicy, sweepIntervalMs: Int64
    ) -> RateLimitDecision {
        state.withLock { state in
            if nowMs >= state.nextSweepAtMs {
                Self.sweep(&state, nowMs: nowMs, policy: policy)
                state.nextSweepAtMs = nowMs &+ sweepIntervalMs
            }
            if let index = state.buckets.index(forKey: key) {
                state.buckets.values[index].usedAtMs = nowMs
                return state.buckets.values[index].bucket.consume(cost, nowMs: nowMs, policy: policy)
            }
            if state.buckets.count >= limit {
                Self.sweep(&state, nowMs: nowMs, policy: policy)
                if state.buckets.count >= limit { Self.dropLeastRecentlyUsed(&state, keeping: limit * 9 / 10) }
            }
            var bucket = TokenBucket(capacity: policy.capacity, nowMs: nowMs)
            let decision = bucket.consume(cost, nowMs: nowMs, policy: policy)
            // A bucket nobody took from is a new bucket: keep nothing for it.
            if bucket.tokens < policy.capacity { state.buckets[key] = Entry(bucket: bucket, usedAtMs: nowMs) }
            return decision
        }
    }

    func sweep(nowMs: Int64, policy: RateLimitPolicy) {
        state.withLock { Self.sweep(&$0, nowMs: nowMs, policy: policy) }
    }

    func removeAll() {
        state.withLock { $0 = State() }
    }

    private static func sweep(_ state: inout State, nowMs: Int64, policy: RateLimitPolicy) {
        state.buckets = state.buckets.filter { !$0.value.bucket.isFull(atMs: nowMs, policy: policy) }
    }

    private static func dropLeastRecentlyUsed(_ state: inout State, keeping: Int) {
        let ordered = state.buckets.sorted { $0.value.usedAtMs > $1.value.usedAtMs }
        state.buckets = Dictionary(uniqueKeysWithValues: ordered.prefix(max(keeping, 0)).map { ($0.key, $0.value) })
    }
}
