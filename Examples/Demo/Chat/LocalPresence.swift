import Synchronization

/// Presence inside one process: room → user id → member.
public final class LocalPresence: ChatPresence {
    private let rooms = Mutex<[String: [String: RoomMember]]>([:])

    /// Creates an empty table.
    public init() {}

    /// Records the member.
    public func add(_ member: RoomMember, to room: String) async {
        rooms.withLock { $0[room, default: [:]][member.userId] = member }
    }

    /// Forgets the member; an empty room is forgotten.
    public func remove(_ member: RoomMember, from room: String) async {
        rooms.withLock { rooms in
            rooms[room]?[member.userId] = nil
            if rooms[room]?.isEmpty == true { rooms[room] = nil }
        }
    }

    /// The room's members.
    public func members(of room: String) async throws -> [RoomMember] {
        rooms.withLock { $0[room].map { Array($0.values) } ?? [] }
    }

    /// Nothing to stop.
    public func shutdown() async {}
}
