/// What the server knows about a connection: its board, from the upgrade path `/ws/<room>`.
public struct BoardSession: Sendable, Hashable {
    /// The board's room name.
    public var room: String

    /// Creates a session.
    public init(room: String) { self.room = room }
}
