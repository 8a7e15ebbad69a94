import Synchronization
import WSKitRateLimit
import WSKitRedis

/// Token buckets in Redis: one bucket per key shared by every server instance that uses the same
/// Redis, updated atomically by one Lua script on the Redis server's clock (ADR 0060).
///
/// ```swift
/// let redis = try await RedisConnection.connect(RedisConfiguration(url: "redis://127.0.0.1:6379"))
/// let limiter = RedisRateLimiter(redis, policy: RateLimitPolicy(capacity: 10, tokensPerSecond: 5, prefix: "chat:"))
/// struct AppPlugins: MessagingInstalled {
///     var messaging = MessagingPlugin()
///     var rateLimit = RateLimitPlugin<Session>(limiter: limiter)
/// }
/// ```
/// - **One round trip per message**: `EVALSHA` of the script, `EVAL` once after the server lost
///   its script cache (`NOSCRIPT`: restart, `SCRIPT FLUSH`), which caches it again.
/// - **Server time.** The script reads `TIME`; instances' clocks do not matter (`nowMs` is used
///   only by the outage fallback).
/// - **Expiry.** Every call sets the key's TTL (default: twice the time to refill from empty, at
///   least 60 s), so idle buckets leave Redis by themselves.
/// - **Outages** (not connected, lost connection, a timeout, an error reply) follow ``outage``:
///   per-instance buckets (default), fail open or fail closed. Each one is counted in
///   ``unavailableCount`` and passed to `onUnavailable`.
public final class RedisRateLimiter: RateLimiter {
    /// The policy of every bucket.
    public let policy: RateLimitPolicy
    /// The connection commands go through (shareable with other users).
    public let connection: RedisConnection
    /// The TTL set on every bucket key (whole milliseconds, at least 1).
    public let ttl: Duration
    /// How long one decision may wait for Redis before the outage policy applies.
    public let timeout: Duration
    /// What happens while Redis cannot answer.
    public let outage: RateLimitOutagePolicy

    private let onUnavailable: (@Sendable (RedisError) -> Void)?
    private let fallback: MemoryRateLimiter
    private let failures = Atomic<Int>(0)
    /// The script's arguments after the cost, the same for every decision: capacity, rate, TTL.
    private let bucketArguments: [RedisArgument]

    /// Creates a limiter.
    ///
    /// - Parameters:
    ///   - connection: a connected (or connecting) `RedisConnection`.
    ///   - policy: must be valid; an invalid one traps.
    ///   - ttl: the bucket keys' TTL; default `max(2 × capacity / rate, 60 s)`.
    ///   - timeout: the longest wait for one decision (default 250 ms) before ``outage`` applies.
    ///   - outage: what to do while Redis cannot answer (default ``RateLimitOutagePolicy/local``).
    ///   - onUnavailable: called with each Redis failure (for logs and metrics; keep it short).
    public init(
        _ connection: RedisConnection, policy: RateLimitPolicy, ttl: Duration? = nil,
        timeout: Duration = .milliseconds(250), outage: RateLimitOutagePolicy = .local,
        onUnavailable: (@Sendable (RedisError) -> Void)? = nil
    ) {
        precondition(policy.problems.isEmpty, "invalid rate limit policy: \(policy.problems.joined(separator: "; "))")
        self.connection = connection
        self.policy = policy
        let ttlMs = max(ttl.map { Int(clamping: $0.wholeMilliseconds) } ?? max(Int((2 * policy.fullRefillMs).rounded(.up)), 60_000), 1)
        self.ttl = .milliseconds(ttlMs)
        self.timeout = timeout
        self.outage = outage
        self.onUnavailable = onUnavailable
        fallback = MemoryRateLimiter(policy: policy)
        bucketArguments = [RedisArgument(policy.capacity), RedisArgument(policy.tokensPerSecond), RedisArgument(ttlMs)]
    }

    /// The Lua script every decision runs (for `SCRIPT LOAD` by deployment tooling, or review).
    public static var script: RedisScript { TokenBucketScript.script }

    /// Redis failures met so far (each one decided by the outage policy).
    public var unavailableCount: Int { failures.load(ordering: .relaxed) }

    /// Takes `cost` tokens from `key`'s bucket in Redis if there are enough.
    public func consume(_ key: String, cost: Int, nowMs: Int64) async throws(RateLimiterError) -> RateLimitDecision {
        let reply: RedisValue
        do {
            reply = try await evaluate(key: policy.prefix + key, cost: cost)
        } catch {
            return try unavailable(error, key: key, cost: cost, nowMs: nowMs)
        }
        switch Self.decode(reply) {
        case .some(let decision): return decision
        case .none: return try unavailable(.unexpectedReply("rate limit script answered \(reply)"), key: key, cost: cost, nowMs: nowMs)
        }
    }

    /// Loads the script into Redis's cache ahead of the first message (optional: the first
    /// `EVALSHA` falls back to `EVAL`).
    public func preload() async throws(RedisError) {
        try await connection.load(TokenBucketScript.script)
    }

    private func evaluate(key: String, cost: Int) async throws(RedisError) -> RedisValue {
        try await connection.evaluate(
            TokenBucketScript.script, keys: [RedisArgument(key)], arguments: [RedisArgument(cost)] + bucketArguments, timeout: timeout)
    }

    private func unavailable(_ error: RedisError, key: String, cost: Int, nowMs: Int64) throws(RateLimiterError) -> RateLimitDecision {
        failures.add(1, ordering: .relaxed)
        onUnavailable?(error)
        switch outage {
        case .local: return fallback.consume(key, cost: cost, nowMs: nowMs)
        case .failOpen: return cost > policy.capacity ? .exceedsCapacity(remaining: 0) : .allowed(remaining: 0)
        case .failClosed: throw .unavailable(error.description)
        }
    }

    /// `{1, remaining}`, `{0, remaining, retryAfterMs}` or `{-1, remaining}`.
    static func decode(_ reply: RedisValue) -> RateLimitDecision? {
        guard let items = reply.array, items.count >= 2, let verdict = items[0].int, let remaining = items[1].int else {
            return nil
        }
        switch verdict {
        case 1: return .allowed(remaining: Int(remaining))
        case 0:
            guard items.count >= 3, let wait = items[2].int else { return nil }
            return .denied(remaining: Int(remaining), retryAfterMs: Int(max(wait, 1)))
        case -1: return .exceedsCapacity(remaining: Int(remaining))
        default: return nil
        }
    }
}
