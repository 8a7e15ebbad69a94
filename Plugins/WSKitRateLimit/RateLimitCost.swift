import WSKitContract

/// What one message type costs under a rate limit, declared by type rather than by comparing type
/// strings in a cost function: `RateLimitCost(Upload.self, 5)`, `RateLimitCost(Typing.self, 0)`
/// (0 lets it through without touching the limiter).
///
/// A type's declared cost wins over the rule's cost function; types without one use the function.
public struct RateLimitCost: Sendable, Hashable {
    /// The message type's wire type.
    public let type: String
    /// What one message of it costs.
    public let cost: Int

    /// `M` costs `cost` tokens.
    public init<M: Message>(_ type: M.Type, _ cost: Int) {
        self.type = M.type
        self.cost = cost
    }
}
