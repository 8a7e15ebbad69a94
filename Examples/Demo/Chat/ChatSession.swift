/// What the demo knows about a connection, from its upgrade request `/ws/<room>?name=<displayName>`.
/// The connection's `userId` is its router client id (a UUID v7, one per connection).
public struct ChatSession: Sendable, Hashable {
    /// The room, from the path (default `lobby`).
    public var room: String
    /// The display name, from `?name=` (trimmed, default `anon`).
    public var displayName: String

    /// Creates a session.
    public init(room: String, displayName: String) {
        self.room = room
        self.displayName = displayName
    }
}
