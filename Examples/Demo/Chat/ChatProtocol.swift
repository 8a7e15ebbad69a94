import WSKit

// The demo's chat protocol on WSKit's wire format (docs/demo.md). Requests are RPCs; pushes are
// plain messages. Requests without arguments may send `{}` or no `payload` at all.

/// RPC `LIST_HISTORY {limit?: 1…500}` → `HISTORY {messages: [Row]}`: the room's last `limit`
/// messages (default 200), oldest first.
public struct ListHistory: RPC {
    /// `{limit?}`.
    public struct Payload: Codable, Sendable {
        /// How many messages, 1…500; absent means 200.
        @InRange(1...500) public var limit: Int? = nil
        /// A request for `limit` messages.
        public init(limit: Int? = nil) { self.limit = limit }
    }
    /// `{messages}`, oldest first.
    public struct Response: Codable, Sendable, Hashable { public var messages: [ChatRow] }
    /// `LIST_HISTORY`, answered `HISTORY`.
    public static let type = "LIST_HISTORY", responseType = "HISTORY"
    /// The default number of messages.
    public static let defaultLimit = 200
}

/// RPC `LIST_PRESENCE` → `PRESENCE {selfUserId, users: [{userId, displayName}]}`: who is in the
/// room now, sorted by name (then id); the caller's own entry is among them.
public struct ListPresence: RPC {
    /// No arguments.
    public typealias Payload = Empty
    /// `{selfUserId, users}`.
    public struct Response: Codable, Sendable, Hashable { public var selfUserId: String, users: [RoomMember] }
    /// `LIST_PRESENCE`, answered `PRESENCE`.
    public static let type = "LIST_PRESENCE", responseType = "PRESENCE"
}

/// A member of a room: one connection.
public struct RoomMember: Codable, Sendable, Hashable {
    /// The connection's id, and its display name.
    public var userId: String, displayName: String
    /// Creates a member.
    public init(userId: String, displayName: String) {
        self.userId = userId
        self.displayName = displayName
    }
}

/// RPC `SEND_MESSAGE {text: 1…2000 characters}` → `MESSAGE_SENT {id}`. The row is stored first,
/// then pushed as ``RoomMessage`` to everyone in the room, the sender included.
public struct SendMessage: RPC {
    /// `{text}`.
    public struct Payload: Codable, Sendable {
        /// The message, 1…2000 characters.
        @Length(1...2000) public var text: String = ""
        /// A message with `text`.
        public init(text: String) { self.text = text }
    }
    /// `{id}`: the stored row's id.
    public struct Response: Codable, Sendable, Hashable { public var id: String }
    /// `SEND_MESSAGE`, answered `MESSAGE_SENT`.
    public static let type = "SEND_MESSAGE", responseType = "MESSAGE_SENT"
}

/// RPC `CLEAR_HISTORY` → `HISTORY_CLEARED_OK`, then ``HistoryCleared`` to everyone in the room.
public struct ClearHistory: RPC {
    /// No arguments.
    public typealias Payload = Empty
    /// No reply payload.
    public typealias Response = Empty
    /// `CLEAR_HISTORY`, answered `HISTORY_CLEARED_OK`.
    public static let type = "CLEAR_HISTORY", responseType = "HISTORY_CLEARED_OK"
}

/// Push `USER_JOINED {userId, displayName}` to the others in the room.
public struct UserJoined: Message {
    /// The member who joined.
    public typealias Payload = RoomMember
    /// `USER_JOINED`.
    public static let type = "USER_JOINED"
}

/// Push `USER_LEFT {userId, displayName}` to the others in the room (the name as it was).
public struct UserLeft: Message {
    /// The member who left.
    public typealias Payload = RoomMember
    /// `USER_LEFT`.
    public static let type = "USER_LEFT"
}

/// Push `ROOM_MESSAGE Row` to everyone in the room, the sender included.
public struct RoomMessage: Message {
    /// The stored row.
    public typealias Payload = ChatRow
    /// `ROOM_MESSAGE`.
    public static let type = "ROOM_MESSAGE"
}

/// Push `HISTORY_CLEARED {ts, clearedByUserId, clearedByDisplayName}` to everyone in the room.
public struct HistoryCleared: Message {
    /// When it was cleared (Unix milliseconds), and by whom.
    public struct Payload: Codable, Sendable, Hashable {
        /// When it was cleared, Unix milliseconds.
        public var ts: Int64
        /// Who cleared it, and their display name.
        public var clearedByUserId: String, clearedByDisplayName: String
    }
    /// `HISTORY_CLEARED`.
    public static let type = "HISTORY_CLEARED"
}
