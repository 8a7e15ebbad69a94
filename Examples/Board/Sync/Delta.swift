/// One change of the board, numbered: the board's version after it. Clients apply deltas in
/// version order, each exactly once.
public struct Delta: Codable, Sendable, Hashable {
    /// A writer whose earlier value this change overwrote without having seen it.
    public struct Overwrite: Codable, Sendable, Hashable {
        /// The connection that wrote the value that lost.
        public var loser: String
        /// The fields it lost.
        public var fields: [String]

        /// `loser` lost `fields`.
        public init(loser: String, fields: [String]) { (self.loser, self.fields) = (loser, fields) }
    }

    /// The board's version after this change.
    public var version: Int
    /// The shape changed.
    public var shapeId: String
    /// `true` when the shape was created by this change (`fields` then holds all of it).
    public var added: Bool
    /// The fields set.
    public var fields: ShapeFields
    /// The connection that made the change.
    public var by: String
    /// Concurrent edits this one overwrote (per-field last writer wins, in server order).
    public var overwrote: [Overwrite]
}
