import WSKitContract

/// Rate limiting failures reported to the router's `onError` hooks (the client is answered too).
/// Rejections themselves are not failures: they go to `onLimited`.
public enum RateLimitFailure: WireErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// The cost function returned a negative cost: a bug in the application (answered
    /// `INTERNAL`, the handler does not run).
    case negativeCost(type: String, cost: Int)
    /// The limiter could not decide and fails closed (answered `UNAVAILABLE`).
    case limiterUnavailable(type: String, RateLimiterError)

    /// A sentence describing the failure.
    public var description: String {
        switch self {
        case .negativeCost(let type, let cost): "rate limit cost of \"\(type)\" is negative (\(cost))"
        case .limiterUnavailable(let type, let error): "\"\(type)\" not rate limited: \(error)"
        }
    }

    /// What the client is answered: `INTERNAL` "Rate limit misconfigured" for a negative cost,
    /// `UNAVAILABLE` "Rate limiter unavailable" (retry after `retryAfterMs`, default 1000) when the
    /// limiter fails closed.
    public var wireError: WireError { wireError(unavailableRetryAfter: .seconds(1)) }

    /// ``wireError`` with the rule's retry hint for an unavailable limiter.
    func wireError(unavailableRetryAfter: Duration) -> WireError {
        switch self {
        case .negativeCost: WireError(code: .internal, message: "Rate limit misconfigured")
        case .limiterUnavailable:
            WireError(code: .unavailable, message: "Rate limiter unavailable", retryAfterMs: Int(clamping: unavailableRetryAfter.wholeMilliseconds))
        }
    }
}
