/// A token bucket's size and speed: up to ``capacity`` tokens, refilled at ``tokensPerSecond``.
///
/// `capacity` is the burst a key may spend at once; `tokensPerSecond` the sustained rate. For rates
/// below one token per second use a fractional rate (`0.1` = one token every 10 s) — or scale both
/// numbers, as WS-Kit's documentation suggests. Every key of a limiter shares its policy; use
/// several limiters for several policies.
public struct RateLimitPolicy: Sendable, Hashable, CustomStringConvertible {
    /// The most tokens a bucket holds (a new bucket starts full). At least 1.
    public var capacity: Int
    /// Tokens added per second, whole tokens at a time. Positive and finite.
    public var tokensPerSecond: Double
    /// Prepended to every key (a namespace per application or per limiter in a shared store).
    public var prefix: String

    /// Creates a policy; see ``validate()``.
    public init(capacity: Int, tokensPerSecond: Double, prefix: String = "") {
        self.capacity = capacity
        self.tokensPerSecond = tokensPerSecond
        self.prefix = prefix
    }

    /// What is wrong with the policy (empty when it is usable): a capacity below 1, or a rate that
    /// is not positive and finite.
    public var problems: [String] {
        var problems: [String] = []
        if capacity < 1 { problems.append("capacity must be at least 1 (is \(capacity))") }
        if !(tokensPerSecond > 0) || !tokensPerSecond.isFinite {
            problems.append("tokensPerSecond must be positive and finite (is \(tokensPerSecond))")
        }
        return problems
    }

    /// Throws ``RateLimitPolicyError`` when the policy is unusable (limiters check it with a
    /// precondition: an invalid policy is a programming error).
    public func validate() throws(RateLimitPolicyError) {
        let problems = problems
        if !problems.isEmpty { throw RateLimitPolicyError(policy: self, problems: problems) }
    }

    /// Milliseconds an empty bucket takes to fill up: after that long without use a bucket is
    /// indistinguishable from a new one (and a limiter may forget it).
    public var fullRefillMs: Double { Double(capacity) * 1000 / tokensPerSecond }

    /// `capacity/tokensPerSecond/s`.
    public var description: String { "\(capacity) tokens, \(tokensPerSecond)/s" }
}

/// An unusable ``RateLimitPolicy``.
public struct RateLimitPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy.
    public var policy: RateLimitPolicy
    /// What is wrong with it.
    public var problems: [String]

    /// The problems, joined.
    public var description: String { "invalid rate limit policy: " + problems.joined(separator: "; ") }
}
