/// One chat message as stored and sent (`Row` in the protocol): `{id, ts, userId, displayName, text}`.
public struct ChatRow: Codable, Sendable, Hashable {
    /// A UUID v7: unique across demo processes, ordered by time.
    public var id: String
    /// When the server stored it, Unix milliseconds.
    public var ts: Int64
    /// The sender's connection id.
    public var userId: String
    /// The sender's display name at the time.
    public var displayName: String
    /// The text, 1…2000 characters.
    public var text: String

    /// Creates a row.
    public init(id: String, ts: Int64, userId: String, displayName: String, text: String) {
        self.id = id
        self.ts = ts
        self.userId = userId
        self.displayName = displayName
        self.text = text
    }
}
