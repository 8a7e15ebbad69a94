import WSKit

/// Where the demo's rooms live: who is in each room (presence) and how a push reaches everyone in
/// it. In one process by default (``LocalRooms``); spanning processes through Redis with `--redis`.
public protocol ChatRooms: Sendable {
    /// Adds a connection to a room: it receives the room's pushes and appears in its presence.
    func join(room: String, member: RoomMember, connection: ConnectionCore) async
    /// Removes a connection from a room.
    func leave(room: String, member: RoomMember) async
    /// Everyone in the room, in no particular order.
    func members(of room: String) async throws -> [RoomMember]
    /// Sends a push to everyone in the room except the connection `excluding` (a user id).
    func publish(room: String, type: String, payload: JSONValue?, excluding: String?) async
    /// Stops background work (Redis connections); later calls do nothing.
    func shutdown() async
}

extension ChatRooms {
    /// Sends a typed push to everyone in the room except `excluding`.
    public func publish<M: Message>(_ message: M.Type, _ payload: M.Payload, room: String, excluding: String? = nil) async {
        guard let json = try? M.encodePayload(payload) else { return }
        await publish(room: room, type: M.type, payload: json, excluding: excluding)
    }
}
