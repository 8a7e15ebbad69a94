/// One room: its game, its two seats and who holds them. A value type driven by the caller's
/// clock; ``Tables`` keeps one per room behind a lock.
///
/// A seat belongs to a *seat token*, not to a connection: ``join(clientId:token:now:graceMs:)``
/// hands the token out, and any later connection that presents it
/// (``connect(clientId:token:now:)``) holds the same seat. A seat whose every connection is gone
/// stays reserved for `graceMs`; after that a newcomer's `JOIN` may take it over.
public struct Table: Sendable {
    /// A taken seat.
    struct Seat: Sendable {
        /// The secret that claims it.
        var token: String
        /// The connections holding it now (a player may have two tabs).
        var holders: Set<String>
        /// When its last connection left (`nil` while one is connected), in milliseconds.
        var awaySince: Int64?
    }

    private(set) var game = Game()
    private(set) var round = 1
    private var seats: [Mark: Seat] = [:]
    private var rematch: Set<Mark> = []
    /// Stamped by ``Tables`` after every change (one counter for all rooms, so it never goes back).
    var version = 0
    private var connections: Set<String> = []

    /// An empty room.
    public init() {}

    /// The seat `clientId` plays, if any.
    public func mark(of clientId: String) -> Mark? {
        Mark.allCases.first { seats[$0]?.holders.contains(clientId) == true }
    }

    /// Whether nothing is left to keep: no connection and no seat reserved within `graceMs`.
    public func isAbandoned(now: Int64, graceMs: Int64) -> Bool {
        connections.isEmpty && seats.values.allSatisfy { now - ($0.awaySince ?? now) >= graceMs }
    }

    /// A connection arrives; with the token of a seat it holds that seat at once.
    public mutating func connect(clientId: String, token: String?, now: Int64) -> Mark? {
        connections.insert(clientId)
        guard let token, let mark = Mark.allCases.first(where: { seats[$0]?.token == token }) else { return nil }
        seats[mark]?.holders.insert(clientId)
        seats[mark]?.awaySince = nil
        return mark
    }

    /// A connection leaves; its seat stays reserved for its token.
    public mutating func disconnect(clientId: String, now: Int64) {
        connections.remove(clientId)
        guard let mark = mark(of: clientId) else { return }
        seats[mark]?.holders.remove(clientId)
        if seats[mark]?.holders.isEmpty == true { seats[mark]?.awaySince = now }
    }

    /// Seats `clientId` under a new `token`: X if free, else O; a seat whose player has been away
    /// for `graceMs` counts as free. A connection that already plays keeps its seat and token.
    public mutating func join(clientId: String, token: String, now: Int64, graceMs: Int64) throws(TicTacToeError) -> (Mark, String) {
        if let mark = mark(of: clientId), let seat = seats[mark] { return (mark, seat.token) }
        let free = Mark.allCases.first { mark in
            guard let seat = seats[mark] else { return true }
            return seat.holders.isEmpty && now - (seat.awaySince ?? now) >= graceMs
        }
        guard let mark = free else { throw .roomFull }
        seats[mark] = Seat(token: token, holders: [clientId], awaySince: nil)
        rematch.remove(mark)
        return (mark, token)
    }

    /// Plays `cell` for `clientId`'s seat: refused to spectators, before both seats are taken,
    /// after the game is over, out of turn, and on a taken cell.
    public mutating func move(clientId: String, cell: Int) throws(TicTacToeError) {
        guard let mark = mark(of: clientId) else { throw .notAPlayer }
        guard seats.count == 2 else { throw .waitingForOpponent }
        try game.play(mark, at: cell)
    }

    /// Records `clientId`'s wish for a rematch; when both players have asked, a new game starts
    /// and the player who did not start the last one starts it.
    public mutating func askRematch(clientId: String) throws(TicTacToeError) {
        guard let mark = mark(of: clientId) else { throw .notAPlayer }
        guard game.isOver else { throw .gameNotOver }
        rematch.insert(mark)
        if rematch.count == 2 {
            round += 1
            game = Game(starter: round % 2 == 1 ? .x : .o)
            rematch = []
        }
    }

    /// The room as everyone sees it.
    public var state: GameState {
        let status: String, winner: Mark?, line: [Int]?
        switch game.outcome {
        case .won(let mark, let winning): (status, winner, line) = ("won", mark, winning)
        case .draw: (status, winner, line) = ("draw", nil, nil)
        case .playing: (status, winner, line) = (seats.count == 2 ? "playing" : "waiting", nil, nil)
        }
        let players = seats.values.reduce(0) { $0 + $1.holders.count }
        return GameState(
            version: version, round: round, board: game.cells.map { $0?.rawValue ?? "" }, turn: game.turn,
            status: status, winner: winner, line: line,
            seats: Mark.allCases.map { mark in
                GameState.SeatState(mark: mark, taken: seats[mark] != nil, online: seats[mark]?.holders.isEmpty == false)
            },
            rematch: Mark.allCases.filter(rematch.contains), spectators: connections.count - players)
    }
}
