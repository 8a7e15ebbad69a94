/// What a ``RateLimiter`` decided for one request.
public enum RateLimitDecision: Sendable, Hashable {
    /// The tokens were taken; `remaining` are left in the bucket.
    case allowed(remaining: Int)
    /// Not enough tokens: nothing was taken. Enough will have been refilled after `retryAfterMs`
    /// (at least 1).
    case denied(remaining: Int, retryAfterMs: Int)
    /// The cost is larger than the bucket's capacity: this request can never pass.
    case exceedsCapacity(remaining: Int)

    /// Whether the request may proceed.
    @inlinable public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The tokens left in the bucket after the decision.
    @inlinable public var remaining: Int {
        switch self {
        case .allowed(let remaining), .denied(let remaining, _), .exceedsCapacity(let remaining): remaining
        }
    }

    /// How long to wait before retrying, for a denial.
    @inlinable public var retryAfterMs: Int? {
        if case .denied(_, let retryAfterMs) = self { return retryAfterMs }
        return nil
    }
}
