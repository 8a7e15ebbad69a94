import WSKitPubSub
import WSKitRouter

/// One connection subscribed to one room's presence. Until its state is sent, the diffs that
/// arrive wait in ``pending`` (so a subscriber always gets the state first, then the diffs, in
/// the store's order); once it is sent, its ``member`` is in the hub's fan-out index and diffs
/// reach it through pub/sub's per-loop delivery. Mutated only under the hub's lock.
final class PresenceSubscriber: @unchecked Sendable {
    let connection: ConnectionCore
    let room: String
    /// The connection's fan-out member (one per connection, shared by its rooms).
    let member: TopicMember
    /// `nil` once the state has been sent (or the subscription ended).
    var pending: [[UInt8]]? = []

    init(connection: ConnectionCore, room: String, member: TopicMember) {
        self.connection = connection
        self.room = room
        self.member = member
    }
}
