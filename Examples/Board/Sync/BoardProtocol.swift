import WSKit

// The board's protocol on WSKit's wire format (docs/examples/board.md). Edits are RPCs and come
// back to everyone else as numbered DELTA pushes; cursors are fire-and-forget messages.

/// RPC `SYNC {since?}` → `SYNCED {you, version, deltas?, shapes?}`: the deltas after `since` when
/// the server still keeps them all, else the whole board (`shapes`). Sent on every (re)connect.
public struct Sync: RPC {
    /// `{since?}`: the version the client has (absent: it has nothing).
    public struct Payload: Codable, Sendable {
        /// The version the client has.
        @InRange(0...Int(Int32.max)) public var since: Int? = nil
        /// A sync from `since`.
        public init(since: Int? = nil) { self.since = since }
    }
    /// `{you, version, deltas?, shapes?}`.
    public struct Response: Codable, Sendable, Hashable {
        /// This connection's id (as in `Delta.by` and `overwrote[].loser`).
        public var you: String
        /// The board's version.
        public var version: Int
        /// The deltas after `since`, in order (when caught up by deltas).
        public var deltas: [Delta]?
        /// The whole board (when a snapshot was needed).
        public var shapes: [Shape]?
    }
    /// `SYNC`, answered `SYNCED`.
    public static let type = "SYNC", responseType = "SYNCED"
}

/// RPC `ADD ShapeFields` → `ADDED Delta`: a new shape (missing fields get defaults).
public struct AddShape: RPC {
    /// The new shape's fields.
    public typealias Payload = ShapeFields
    /// The change.
    public typealias Response = Delta
    /// `ADD`, answered `ADDED`.
    public static let type = "ADD", responseType = "ADDED"
}

/// RPC `EDIT {shapeId, base, fields}` → `EDITED Delta`: sets some fields of a shape. `base` is the
/// board version the client had seen: values written after it by others and overwritten now are
/// reported in `Delta.overwrote`.
public struct EditShape: RPC {
    /// `{shapeId, base, fields}`.
    public struct Payload: Codable, Sendable {
        /// The shape.
        @Length(1...16) public var shapeId: String = ""
        /// The board version the client had seen.
        @InRange(0...Int(Int32.max)) public var base: Int = 0
        /// The fields to set.
        public var fields: ShapeFields = ShapeFields()
        /// An edit.
        public init(shapeId: String, base: Int, fields: ShapeFields) {
            (self.shapeId, self.base, self.fields) = (shapeId, base, fields)
        }
    }
    /// The change.
    public typealias Response = Delta
    /// `EDIT`, answered `EDITED`.
    public static let type = "EDIT", responseType = "EDITED"
}

/// Push `DELTA Delta` to everyone else on the board after every change.
public struct DeltaPushed: Message {
    /// The change.
    public typealias Payload = Delta
    /// `DELTA`.
    public static let type = "DELTA"
}

/// A pointer position on the board.
public struct BoardCursor: Codable, Sendable, Hashable {
    /// Board units.
    @InRange(-100.0...1100.0) public var x: Double = 0
    /// Board units.
    @InRange(-100.0...700.0) public var y: Double = 0
    /// A position.
    public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
}

/// Message `CURSOR {x, y}` (fire-and-forget): where this user's pointer is. The server forwards
/// at most 20 a second per user, the latest one when it throttles.
public struct MoveCursor: Message {
    /// The position.
    public typealias Payload = BoardCursor
    /// `CURSOR`.
    public static let type = "CURSOR"
}

/// Push `CURSOR_MOVED {user, x, y}` to everyone else on the board; `x` and `y` are absent when
/// the user left.
public struct CursorMoved: Message {
    /// `{user, x?, y?}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// The connection id.
        public var user: String
        /// The position; absent when the user left.
        public var x: Double?, y: Double?
    }
    /// `CURSOR_MOVED`.
    public static let type = "CURSOR_MOVED"
}
