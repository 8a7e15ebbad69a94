/// A player's mark, and the name of their seat: `"X"` or `"O"`.
public enum Mark: String, Codable, Sendable, Hashable, CaseIterable {
    case x = "X"
    case o = "O"

    /// The other mark.
    public var opponent: Mark { self == .x ? .o : .x }
}
