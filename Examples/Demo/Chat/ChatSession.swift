/// What the demo knows about a connection, from its upgrade request
/// `/ws/<room>?name=<displayName>[&recover=1]`. The connection's `userId` is its router client id
/// (a UUID v7, one per connection).
public struct ChatSession: Sendable, Hashable {
    /// The room, from the path (default `lobby`).
    public var room: String
    /// The display name, from `?name=` (trimmed, default `anon`).
    public var displayName: String
    /// `?recover=1`: the client subscribes to its room's topic itself (`$ws:subscribe`, with the
    /// position it saw last) and recovers what it missed after a reconnect; otherwise the room
    /// is joined when the connection opens (and a reconnect re-reads the history).
    public var recovers: Bool

    /// Creates a session.
    public init(room: String, displayName: String, recovers: Bool = false) {
        self.room = room
        self.displayName = displayName
        self.recovers = recovers
    }
}
