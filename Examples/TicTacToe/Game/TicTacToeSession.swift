/// What the server knows about a connection, from its upgrade request
/// `/ws/<room>?access_token=<seat token>`.
public struct TicTacToeSession: Sendable, Hashable {
    /// The room, from the path.
    public var room: String
    /// The seat token presented, if any (a player coming back).
    public var seatToken: String?

    /// Creates a session.
    public init(room: String, seatToken: String? = nil) {
        self.room = room
        self.seatToken = seatToken
    }
}
