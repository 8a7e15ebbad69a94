/// What a ``RedisRateLimiter`` does while Redis cannot answer (down, reconnecting, timing out,
/// failing): ADR 0060 and `docs/rate-limiting.md`.
public enum RateLimitOutagePolicy: Sendable, Hashable {
    /// Degrade to per-instance limits: the same policy in an in-memory bucket per key, on this
    /// server's clock (the router's). Limits stay enforced per connection; a user spread over `n`
    /// instances gets up to `n` times the limit until Redis is back. The default.
    case local
    /// Let every message through (availability first; nothing is limited during the outage).
    case failOpen
    /// Refuse every message with `UNAVAILABLE` (retryable) — strict quotas, at the price of the
    /// whole application while Redis is down.
    case failClosed
}
