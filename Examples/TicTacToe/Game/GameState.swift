/// A room as everyone sees it: the snapshot in every `STATE` push, `WELCOME` and reply.
///
/// `version` grows with every change of the room: pushes of one room may overtake each other,
/// so a client keeps the state with the highest version.
public struct GameState: Codable, Sendable, Hashable {
    /// A seat as everyone sees it.
    public struct SeatState: Codable, Sendable, Hashable {
        /// `"X"` or `"O"`.
        public var mark: Mark
        /// Whether a player holds it.
        public var taken: Bool
        /// Whether its player is connected now (false while they are away and reconnecting).
        public var online: Bool
    }

    /// Grows with every change of the room.
    public var version: Int
    /// The game's number in this room: 1, then one more per rematch.
    public var round: Int
    /// The 9 cells, row by row: `""`, `"X"` or `"O"`.
    public var board: [String]
    /// Who plays next.
    public var turn: Mark
    /// `"waiting"` (a seat is free), `"playing"`, `"won"` or `"draw"`.
    public var status: String
    /// The winner, when `status` is `"won"`.
    public var winner: Mark?
    /// The winning line's three cells, when `status` is `"won"`.
    public var line: [Int]?
    /// X's seat, then O's.
    public var seats: [SeatState]
    /// The players who asked for a rematch (the game restarts when both have).
    public var rematch: [Mark]
    /// How many connections are in the room and hold no seat.
    public var spectators: Int
}
