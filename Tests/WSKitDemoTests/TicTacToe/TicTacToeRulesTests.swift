import Testing
import WSKitTicTacToe

/// The rules and seats, without sockets: what the server accepts and refuses, in which order.
@Suite("Tic-tac-toe rules and seats")
struct TicTacToeRulesTests {
    /// `join`'s mark and token.
    static func seat(_ table: inout Table, clientId: String, token: String, now: Int64, graceMs: Int64) throws -> [String] {
        let (mark, kept) = try table.join(clientId: clientId, token: token, now: now, graceMs: graceMs)
        return [mark.rawValue, kept]
    }

    @Test("a row, a column and a diagonal win; a full board without a line is a draw")
    func outcomes() throws {
        var game = Game()
        for (mark, cell) in [(Mark.x, 0), (.o, 3), (.x, 1), (.o, 4), (.x, 2)] { try game.play(mark, at: cell) }
        #expect(game.outcome == .won(.x, line: [0, 1, 2]))

        var diagonal = Game(starter: .o)
        for (mark, cell) in [(Mark.o, 2), (.x, 0), (.o, 4), (.x, 1), (.o, 6)] { try diagonal.play(mark, at: cell) }
        #expect(diagonal.outcome == .won(.o, line: [2, 4, 6]))

        var draw = Game()
        // X O X / X O O / O X X
        for (mark, cell) in [(Mark.x, 0), (.o, 1), (.x, 2), (.o, 4), (.x, 3), (.o, 5), (.x, 7), (.o, 6), (.x, 8)] {
            try draw.play(mark, at: cell)
        }
        #expect(draw.outcome == .draw)
    }

    @Test("moves are refused: game over, then not your turn, then a taken cell")
    func refusals() throws {
        var game = Game()
        try game.play(.x, at: 4)
        #expect(throws: TicTacToeError.notYourTurn) { try game.play(.x, at: 0) }
        #expect(throws: TicTacToeError.cellTaken(4)) { try game.play(.o, at: 4) }
        #expect(throws: TicTacToeError.noSuchCell(9)) { try game.play(.o, at: 9) }
        for (mark, cell) in [(Mark.o, 0), (.x, 1), (.o, 2), (.x, 7)] { try game.play(mark, at: cell) }
        #expect(game.isOver)
        // Over beats everything else, even a taken cell out of turn.
        #expect(throws: TicTacToeError.gameOver) { try game.play(.x, at: 4) }
    }

    @Test("seats: X then O, ROOM_FULL for a third, spectators cannot play, nobody plays alone")
    func seats() throws {
        var table = Table()
        for id in ["a", "b", "c"] { _ = table.connect(clientId: id, token: nil, now: 0) }
        #expect(throws: TicTacToeError.notAPlayer) { try table.move(clientId: "a", cell: 0) }
        let seat1 = try Self.seat(&table, clientId: "a", token: "ta", now: 0, graceMs: 1000)
        #expect(seat1 == ["X", "ta"])
        #expect(throws: TicTacToeError.waitingForOpponent) { try table.move(clientId: "a", cell: 0) }
        #expect(table.state.status == "waiting")
        // Joining twice keeps the seat and its token.
        let seat2 = try Self.seat(&table, clientId: "a", token: "other", now: 0, graceMs: 1000)
        #expect(seat2 == ["X", "ta"])
        let seat3 = try Self.seat(&table, clientId: "b", token: "tb", now: 0, graceMs: 1000)
        #expect(seat3 == ["O", "tb"])
        #expect(throws: TicTacToeError.roomFull) { try table.join(clientId: "c", token: "tc", now: 0, graceMs: 1000) }
        #expect(throws: TicTacToeError.notAPlayer) { try table.move(clientId: "c", cell: 0) }
        #expect(throws: TicTacToeError.notYourTurn) { try table.move(clientId: "b", cell: 0) }
        try table.move(clientId: "a", cell: 0)
        let state = table.state
        #expect(state.status == "playing" && state.turn == .o && state.board[0] == "X")
        #expect(state.spectators == 1)
        #expect(state.seats.map(\.online) == [true, true])
    }

    @Test("a seat follows its token: a new connection with it is the same player; after the grace anyone may take it")
    func seatTokens() throws {
        var table = Table()
        _ = table.connect(clientId: "a", token: nil, now: 0)
        _ = table.connect(clientId: "b", token: nil, now: 0)
        let (_, tokenX) = try table.join(clientId: "a", token: "secret-x", now: 0, graceMs: 1000)
        _ = try table.join(clientId: "b", token: "secret-o", now: 0, graceMs: 1000)
        try table.move(clientId: "a", cell: 4)

        table.disconnect(clientId: "a", now: 100)
        #expect(table.state.seats[0].taken && !table.state.seats[0].online)
        // A wrong token is a spectator; the right one is X again, mid-game.
        let connected1 = table.connect(clientId: "a2", token: "guess", now: 200)
        #expect(connected1 == nil)
        #expect(throws: TicTacToeError.roomFull) { try table.join(clientId: "a2", token: "t", now: 900, graceMs: 1000) }
        let connected2 = table.connect(clientId: "a3", token: tokenX, now: 300)
        #expect(connected2 == .x)
        try table.move(clientId: "b", cell: 0)
        try table.move(clientId: "a3", cell: 8)
        #expect(table.state.board == ["O", "", "", "", "X", "", "", "", "X"])

        // Away for the whole grace: a spectator's JOIN takes the seat, the old token is void.
        table.disconnect(clientId: "a3", now: 1000)
        let seat4 = try Self.seat(&table, clientId: "a2", token: "new-x", now: 2000, graceMs: 1000)
        #expect(seat4 == ["X", "new-x"])
        let connected3 = table.connect(clientId: "late", token: tokenX, now: 2100)
        #expect(connected3 == nil)
        #expect(table.mark(of: "a2") == .x)
    }

    @Test("rematch: both players ask, the board clears and the other mark starts; refused mid-game and to spectators")
    func rematch() throws {
        var table = Table()
        for id in ["a", "b", "s"] { _ = table.connect(clientId: id, token: nil, now: 0) }
        _ = try table.join(clientId: "a", token: "x", now: 0, graceMs: 0)
        _ = try table.join(clientId: "b", token: "o", now: 0, graceMs: 0)
        #expect(throws: TicTacToeError.gameNotOver) { try table.askRematch(clientId: "a") }
        for (id, cell) in [("a", 0), ("b", 3), ("a", 1), ("b", 4), ("a", 2)] { try table.move(clientId: id, cell: cell) }
        #expect(table.state.status == "won" && table.state.winner == .x && table.state.line == [0, 1, 2])
        #expect(throws: TicTacToeError.gameOver) { try table.move(clientId: "b", cell: 5) }
        #expect(throws: TicTacToeError.notAPlayer) { try table.askRematch(clientId: "s") }
        try table.askRematch(clientId: "b")
        #expect(table.state.rematch == [.o] && table.state.round == 1)
        try table.askRematch(clientId: "a")
        let state = table.state
        #expect(state.round == 2 && state.rematch.isEmpty && state.status == "playing")
        #expect(state.board == Array(repeating: "", count: 9) && state.turn == .o)
    }

    @Test("every change stamps a higher version across rooms; rooms left empty are dropped; the room limit holds")
    func versionsAndRooms() throws {
        let tables = Tables(seatGraceMs: 1000, maxRooms: 2)
        let first = tables.connect(room: "r1", clientId: "a", token: nil, now: 0).state.version
        let second = tables.connect(room: "r2", clientId: "b", token: nil, now: 0).state.version
        #expect(second > first)
        #expect(!tables.admits("r3", now: 0))
        #expect(tables.admits("r1", now: 0))
        // A spectator-only room goes as soon as its last connection does.
        #expect(tables.disconnect(room: "r2", clientId: "b", now: 10) == nil)
        #expect(tables.admits("r3", now: 10))
        // A room with a player's seat stays for the grace, then makes way.
        _ = try tables.join(room: "r1", clientId: "a", now: 0)
        _ = tables.connect(room: "r2", clientId: "c", token: nil, now: 20)
        #expect(tables.disconnect(room: "r1", clientId: "a", now: 100)?.seats[0].online == false)
        #expect(!tables.admits("r3", now: 500))
        #expect(tables.admits("r3", now: 1100))
        #expect(tables.state(of: "r1") == nil)
    }
}
