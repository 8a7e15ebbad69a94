import WSKit

// The tic-tac-toe protocol on WSKit's wire format (docs/examples/tictactoe.md). Requests are
// RPCs; the room's state is pushed to everyone in it after every change.

/// RPC `JOIN` → `SEATED {you, token, state}`: takes a free seat (X first). Keep `token` and
/// present it as `access_token` when connecting again: the connection is back in the seat.
/// Fails with `ROOM_FULL`; a connection that already plays gets its own seat back.
public struct Join: RPC {
    /// No arguments.
    public typealias Payload = Empty
    /// `{you, token, state}`.
    public struct Response: Codable, Sendable, Hashable {
        /// The seat taken.
        public var you: Mark
        /// The secret that claims the seat again on another connection.
        public var token: String
        /// The room after joining.
        public var state: GameState
    }
    /// `JOIN`, answered `SEATED`.
    public static let type = "JOIN", responseType = "SEATED"
}

/// RPC `MOVE {cell: 0…8}` → `MOVED GameState`. Fails with `NOT_A_PLAYER`,
/// `WAITING_FOR_OPPONENT`, `GAME_OVER`, `NOT_YOUR_TURN` or `CELL_TAKEN` (in that order of
/// checking); a cell outside 0…8 is `INVALID_ARGUMENT`.
public struct Move: RPC {
    /// `{cell}`.
    public struct Payload: Codable, Sendable {
        /// The cell, row by row: `row * 3 + column`.
        @InRange(0...8) public var cell: Int = 0
        /// A move into `cell`.
        public init(cell: Int) { self.cell = cell }
    }
    /// The room after the move.
    public typealias Response = GameState
    /// `MOVE`, answered `MOVED`.
    public static let type = "MOVE", responseType = "MOVED"
}

/// RPC `REMATCH` → `REMATCH_ASKED GameState`: once both players have asked, a new round starts
/// (the other player starts it). Fails with `NOT_A_PLAYER` or `GAME_NOT_OVER`.
public struct Rematch: RPC {
    /// No arguments.
    public typealias Payload = Empty
    /// The room after the request.
    public typealias Response = GameState
    /// `REMATCH`, answered `REMATCH_ASKED`.
    public static let type = "REMATCH", responseType = "REMATCH_ASKED"
}

/// Push `WELCOME {you?, state}` to a connection as soon as it opens: its seat (absent for a
/// spectator) and the room. A connection that presented a seat token is back in its seat here.
public struct Welcome: Message {
    /// `{you?, state}`.
    public struct Payload: Codable, Sendable, Hashable {
        /// The connection's seat; `nil` for a spectator.
        public var you: Mark?
        /// The room now.
        public var state: GameState
    }
    /// `WELCOME`.
    public static let type = "WELCOME"
}

/// Push `STATE GameState` to everyone in the room after every change (moves, seats, players
/// coming and going, rematches). Keep the one with the highest `version`.
public struct StateChanged: Message {
    /// The room now.
    public typealias Payload = GameState
    /// `STATE`.
    public static let type = "STATE"
}
