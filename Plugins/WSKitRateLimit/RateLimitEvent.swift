/// A message the rate limiter stopped, as the `onLimited` callback sees it (metrics, logs,
/// temporary bans). Called after the client was answered.
public struct RateLimitEvent: Sendable, Hashable {
    /// Why the message was stopped.
    public enum Reason: Sendable, Hashable {
        /// Not enough tokens (`RESOURCE_EXHAUSTED` with `retryAfterMs`).
        case limited(retryAfterMs: Int)
        /// The cost is above the capacity (`FAILED_PRECONDITION`).
        case exceedsCapacity
        /// The limiter could not decide and fails closed (`UNAVAILABLE`).
        case limiterUnavailable(String)
    }

    /// The connection.
    public var clientId: String
    /// The message type.
    public var type: String
    /// The bucket's key (without the policy prefix).
    public var key: String
    /// The message's cost.
    public var cost: Int
    /// The bucket's capacity.
    public var capacity: Int
    /// Tokens left in the bucket (0 when unknown).
    public var remaining: Int
    /// Why.
    public var reason: Reason
}
