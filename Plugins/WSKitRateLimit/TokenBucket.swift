/// One key's bucket and the arithmetic every WSKit limiter uses (the Redis script mirrors it;
/// ADR 0060).
///
/// - A new bucket is full.
/// - Tokens are whole; they come back one at a time, each `1000 / tokensPerSecond` ms after the
///   previous one. The time of the last credited token is kept **with its fraction**, so time that
///   has not yet earned a token is never lost, however often the bucket is polled.
/// - A full bucket banks no time: the refill clock restarts when a token is taken from it.
/// - A clock that goes backwards restarts the refill clock (no credit, no stall).
/// - A denial takes nothing; its `retryAfterMs` is the time until enough tokens will be there,
///   counting the partial progress towards the next one (at least 1 ms).
public struct TokenBucket: Sendable, Hashable {
    /// Whole tokens in the bucket.
    public private(set) var tokens: Int
    /// When the last token was credited (Unix ms, fractional), or when the bucket was last full.
    public private(set) var refilledAtMs: Double

    /// A full bucket at `nowMs`.
    public init(capacity: Int, nowMs: Int64) {
        tokens = capacity
        refilledAtMs = Double(nowMs)
    }

    /// A bucket in a given state (for limiters that store buckets elsewhere).
    public init(tokens: Int, refilledAtMs: Double) {
        self.tokens = tokens
        self.refilledAtMs = refilledAtMs
    }

    /// Credits the tokens earned up to `nowMs`.
    public mutating func refill(nowMs: Int64, policy: RateLimitPolicy) {
        let now = Double(nowMs)
        if now < refilledAtMs {
            refilledAtMs = now
        } else {
            let earned = ((now - refilledAtMs) * policy.tokensPerSecond / 1000).rounded(.down)
            if earned >= 1 {
                if Double(tokens) + earned >= Double(policy.capacity) {
                    tokens = policy.capacity
                    refilledAtMs = now
                } else {
                    tokens += Int(earned)
                    refilledAtMs += earned * 1000 / policy.tokensPerSecond
                }
            }
        }
        if tokens >= policy.capacity {
            tokens = policy.capacity
            refilledAtMs = now
        }
    }

    /// Refills, then takes `cost` tokens if there are enough.
    public mutating func consume(_ cost: Int, nowMs: Int64, policy: RateLimitPolicy) -> RateLimitDecision {
        refill(nowMs: nowMs, policy: policy)
        if cost > policy.capacity { return .exceedsCapacity(remaining: tokens) }
        if tokens >= cost {
            tokens -= cost
            return .allowed(remaining: tokens)
        }
        let missing = Double(cost - tokens) * 1000 / policy.tokensPerSecond - (Double(nowMs) - refilledAtMs)
        let wait = min(max(missing.rounded(.up), 1), Double(Int32.max))
        return .denied(remaining: tokens, retryAfterMs: Int(wait))
    }

    /// Whether the bucket will be full at `nowMs` — a limiter can then forget it, since a new
    /// bucket would be identical.
    public func isFull(atMs nowMs: Int64, policy: RateLimitPolicy) -> Bool {
        if tokens >= policy.capacity { return true }
        let earned = (Double(nowMs) - refilledAtMs) * policy.tokensPerSecond / 1000
        return Double(tokens) + earned.rounded(.down) >= Double(policy.capacity)
    }
}
