import Synchronization
import WSKit

/// Rooms inside one process: a table of room → connections. Pushes are serialised once per
/// connection by the router and written on each connection's event loop.
public final class LocalRooms: ChatRooms {
    private struct Entry {
        var member: RoomMember
        var connection: ConnectionCore
    }

    private let rooms = Mutex<[String: [String: Entry]]>([:])

    /// Creates an empty table.
    public init() {}

    /// Adds the connection to the room.
    public func join(room: String, member: RoomMember, connection: ConnectionCore) async {
        let entry = Entry(member: member, connection: connection)
        rooms.withLock { $0[room, default: [:]][member.userId] = entry }
    }

    /// Removes the connection; an empty room is forgotten.
    public func leave(room: String, member: RoomMember) async {
        rooms.withLock { rooms in
            rooms[room]?[member.userId] = nil
            if rooms[room]?.isEmpty == true { rooms[room] = nil }
        }
    }

    /// The room's members.
    public func members(of room: String) async throws -> [RoomMember] {
        rooms.withLock { $0[room].map { $0.values.map(\.member) } ?? [] }
    }

    /// Sends to every connection in the room but `excluding`.
    public func publish(room: String, type: String, payload: JSONValue?, excluding: String?) async {
        deliver(room: room, type: type, payload: payload, excluding: excluding)
    }

    /// Delivers a push to this process's connections in the room (also what remote rooms call
    /// for pushes that arrive from other processes).
    func deliver(room: String, type: String, payload: JSONValue?, excluding: String?) {
        let targets = rooms.withLock { rooms in
            rooms[room].map { $0.values.filter { $0.member.userId != excluding }.map(\.connection) } ?? []
        }
        for connection in targets {
            connection.send(type: type, payload: payload)
        }
    }

    /// Nothing to stop.
    public func shutdown() async {}
}
