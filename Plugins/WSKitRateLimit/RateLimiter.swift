/// Token buckets by key: the storage behind rate limiting.
///
/// Two implementations ship: ``MemoryRateLimiter`` (one process) and `RedisRateLimiter`
/// (`WSKitRateLimitRedis`: one bucket per key shared by every server instance, atomic, on the
/// Redis server's clock). Both follow the same bucket arithmetic (``TokenBucket``, ADR 0060).
public protocol RateLimiter: Sendable {
    /// The policy of every bucket of this limiter.
    var policy: RateLimitPolicy { get }

    /// Takes `cost` tokens from the bucket of `key` (prefixed with ``RateLimitPolicy/prefix``) if
    /// it holds enough, atomically.
    ///
    /// - Parameters:
    ///   - cost: tokens to take; `0` only reads the bucket. A cost above the capacity is
    ///     ``RateLimitDecision/exceedsCapacity(remaining:)`` and takes nothing.
    ///   - nowMs: the caller's time in Unix milliseconds (the router's clock, so a test harness's
    ///     fake clock drives in-process buckets). Limiters with a shared clock — Redis uses its
    ///     server's `TIME` — ignore it.
    /// - Throws: ``RateLimiterError/unavailable(_:)`` when the limiter cannot decide (its store is
    ///   unreachable and it is configured to fail closed).
    func consume(_ key: String, cost: Int, nowMs: Int64) async throws(RateLimiterError) -> RateLimitDecision
}

/// Why a ``RateLimiter`` could not decide.
public enum RateLimiterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The limiter's shared store is unreachable or failing, and it fails closed: the request is
    /// answered `UNAVAILABLE` (retryable) instead of being let through.
    case unavailable(String)

    /// A sentence describing the error.
    public var description: String {
        switch self {
        case .unavailable(let reason): "rate limiter unavailable: \(reason)"
        }
    }
}
