import WSKitRouter

/// One connection subscribed to one room's presence. Until its state is sent, the diffs that
/// arrive wait in ``pending`` (so a subscriber always gets the state first, then the diffs, in
/// the store's order). Mutated only under the hub's lock.
final class PresenceSubscriber: @unchecked Sendable {
    let connection: ConnectionCore
    let room: String
    /// The host's encoded-frame capability, read once (it is a dynamic cast).
    let frames: (any EncodedFrameTransport)?
    /// `nil` once the state has been sent.
    var pending: [[UInt8]]? = []

    init(connection: ConnectionCore, room: String) {
        self.connection = connection
        self.room = room
        frames = connection.encodedFrameTransport
    }
}
