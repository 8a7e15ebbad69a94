/// Who is in each room. Pushes travel through the pub/sub plugin; presence is the demo's own,
/// because the plugin's room membership is per process and a room may span several
/// (``RedisPresence``). In one process it is ``LocalPresence``.
public protocol ChatPresence: Sendable {
    /// Records a connection in a room.
    func add(_ member: RoomMember, to room: String) async
    /// Forgets a connection.
    func remove(_ member: RoomMember, from room: String) async
    /// Everyone in the room, in no particular order.
    func members(of room: String) async throws -> [RoomMember]
    /// Stops background work (Redis keep-alive); later calls do nothing.
    func shutdown() async
}
