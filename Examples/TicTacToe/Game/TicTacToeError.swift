import WSKit

/// Why the server refused a request. Each case has its own error code on the wire (custom codes,
/// `RPC_ERROR {code, message}`), so a client switches on the code, never on the message.
public enum TicTacToeError: WireErrorConvertible, Equatable {
    /// `ROOM_FULL`: both seats are taken (and their players are not away for long).
    case roomFull
    /// `NOT_A_PLAYER`: a spectator tried to play or ask for a rematch.
    case notAPlayer
    /// `WAITING_FOR_OPPONENT`: the second seat is still free.
    case waitingForOpponent
    /// `GAME_OVER`: a move after the game ended (ask for a rematch).
    case gameOver
    /// `NOT_YOUR_TURN`: the other player moves next.
    case notYourTurn
    /// `CELL_TAKEN`: the cell already has a mark.
    case cellTaken(Int)
    /// `INVALID_ARGUMENT`: no such cell (the payload validator already refuses these).
    case noSuchCell(Int)
    /// `GAME_NOT_OVER`: a rematch was asked for while the game is still on.
    case gameNotOver
    /// `RESOURCE_EXHAUSTED`: the server holds its maximum number of rooms.
    case tooManyRooms

    /// The code and message the client sees.
    public var wireError: WireError {
        switch self {
        case .roomFull: WireError("ROOM_FULL", "Both seats are taken: you are watching")
        case .notAPlayer: WireError("NOT_A_PLAYER", "Spectators cannot play: join a free seat first")
        case .waitingForOpponent: WireError("WAITING_FOR_OPPONENT", "The game starts when a second player joins")
        case .gameOver: WireError("GAME_OVER", "The game is over: ask for a rematch")
        case .notYourTurn: WireError("NOT_YOUR_TURN", "It is not your turn")
        case .cellTaken(let cell): WireError("CELL_TAKEN", "Cell \(cell) is already taken", details: ["cell": .number(Double(cell))])
        case .noSuchCell(let cell): WireError(.invalidArgument, "No cell \(cell): cells are 0…8")
        case .gameNotOver: WireError("GAME_NOT_OVER", "A rematch starts once the game is over")
        case .tooManyRooms: WireError(.resourceExhausted, "This server holds too many rooms")
        }
    }
}
