/// What a batch change of a connection's topics did.
public struct TopicsChange: Sendable, Hashable {
    /// Topics newly subscribed, in the order given.
    public var added: [String]
    /// Topics no longer subscribed.
    public var removed: [String]
    /// How many topics the connection has now.
    public var total: Int

    /// Creates a change.
    public init(added: [String] = [], removed: [String] = [], total: Int) {
        self.added = added
        self.removed = removed
        self.total = total
    }
}
