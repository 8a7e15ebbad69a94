import WSKit
import WSKitValidation

// The demo's chat protocol on WSKit's wire format (docs/demo.md). Requests are RPCs; pushes are
// plain messages. Every payload is an object: requests without arguments send `{}`.

/// An empty payload object, `{}` (the issue's `LIST_PRESENCE {}`): unknown keys are rejected.
public struct NoArguments: Codable, Sendable, Hashable {
    private enum CodingKeys: CodingKey {}

    /// `{}`.
    public init() {}

    /// Decodes `{}`. Asking for the (empty) keyed container is what makes a strict decoder see
    /// the object, so unknown keys are rejected.
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: CodingKeys.self)
    }

    /// Encodes `{}`.
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: CodingKeys.self)
    }
}

/// RPC `LIST_HISTORY {limit?: 1…500}` → ``History``: the room's last `limit` messages (default
/// 200), oldest first.
public struct ListHistory: RPC {
    /// `{limit?}`.
    public struct Payload: Codable, Sendable, Validatable {
        /// How many messages, 1…500; absent means 200.
        @InRange(1...500) public var limit: Int?
        /// No limit (200).
        public init() {}
        /// A request for `limit` messages.
        public init(limit: Int?) { self.limit = limit }
    }
    /// The reply.
    public typealias Response = History
    /// `LIST_HISTORY`.
    public static let type = "LIST_HISTORY"
    /// The default number of messages.
    public static let defaultLimit = 200
}

/// The reply to ``ListHistory``: `HISTORY {messages: [Row]}`.
public struct History: Message {
    /// `{messages}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// Oldest first.
        public var messages: [ChatRow]
        /// Creates the payload.
        public init(messages: [ChatRow]) { self.messages = messages }
    }
    /// `HISTORY`.
    public static let type = "HISTORY"
}

/// RPC `LIST_PRESENCE {}` → ``Presence``: who is in the room now.
public struct ListPresence: RPC {
    /// `{}`.
    public typealias Payload = NoArguments
    /// The reply.
    public typealias Response = Presence
    /// `LIST_PRESENCE`.
    public static let type = "LIST_PRESENCE"
}

/// A member of a room: one connection.
public struct RoomMember: Codable, Sendable, Hashable {
    /// The connection's id.
    public var userId: String
    /// Its display name.
    public var displayName: String
    /// Creates a member.
    public init(userId: String, displayName: String) {
        self.userId = userId
        self.displayName = displayName
    }
}

/// The reply to ``ListPresence``: `PRESENCE {selfUserId, users: [{userId, displayName}]}`, users
/// sorted by name.
public struct Presence: Message {
    /// `{selfUserId, users}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// The caller's own id (its entry is among `users`).
        public var selfUserId: String
        /// Everyone in the room, sorted by display name (then id).
        public var users: [RoomMember]
        /// Creates the payload.
        public init(selfUserId: String, users: [RoomMember]) {
            self.selfUserId = selfUserId
            self.users = users
        }
    }
    /// `PRESENCE`.
    public static let type = "PRESENCE"
}

/// RPC `SEND_MESSAGE {text: 1…2000 characters}` → ``MessageSent``. The row is stored first, then
/// pushed as ``RoomMessage`` to everyone in the room, the sender included.
public struct SendMessage: RPC {
    /// `{text}`.
    public struct Payload: Codable, Sendable, Validatable {
        /// The message, 1…2000 characters.
        @Length(1...2000) public var text: String
        /// An empty text (for the validator's prototype).
        public init() {}
        /// A message with `text`.
        public init(text: String) { self.text = text }
    }
    /// The reply.
    public typealias Response = MessageSent
    /// `SEND_MESSAGE`.
    public static let type = "SEND_MESSAGE"
}

/// The reply to ``SendMessage``: `MESSAGE_SENT {id}`.
public struct MessageSent: Message {
    /// `{id}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// The stored row's id.
        public var id: String
        /// Creates the payload.
        public init(id: String) { self.id = id }
    }
    /// `MESSAGE_SENT`.
    public static let type = "MESSAGE_SENT"
}

/// RPC `CLEAR_HISTORY {}` → ``HistoryClearedOK``, then ``HistoryCleared`` to everyone in the room.
public struct ClearHistory: RPC {
    /// `{}`.
    public typealias Payload = NoArguments
    /// The reply.
    public typealias Response = HistoryClearedOK
    /// `CLEAR_HISTORY`.
    public static let type = "CLEAR_HISTORY"
}

/// The reply to ``ClearHistory``: `HISTORY_CLEARED_OK {}`.
public struct HistoryClearedOK: Message {
    /// `{}`.
    public typealias Payload = NoArguments
    /// `HISTORY_CLEARED_OK`.
    public static let type = "HISTORY_CLEARED_OK"
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
    /// `{ts, clearedByUserId, clearedByDisplayName}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// When it was cleared, Unix milliseconds.
        public var ts: Int64
        /// Who cleared it.
        public var clearedByUserId: String
        /// Their display name.
        public var clearedByDisplayName: String
        /// Creates the payload.
        public init(ts: Int64, clearedByUserId: String, clearedByDisplayName: String) {
            self.ts = ts
            self.clearedByUserId = clearedByUserId
            self.clearedByDisplayName = clearedByDisplayName
        }
    }
    /// `HISTORY_CLEARED`.
    public static let type = "HISTORY_CLEARED"
}
