/// Every room of the server, each a ``Table`` behind one lock. Each change stamps the room with
/// the next value of one counter and returns the room's ``GameState``, which the caller then
/// pushes to the room.
public final class Tables: Sendable {
    /// How long a seat whose player left stays reserved for their seat token, in milliseconds.
    public let seatGraceMs: Int64
    /// The most rooms held at once; an upgrade to a new room beyond it is refused.
    public let maxRooms: Int

    private struct State {
        var tables: [String: Table] = [:]
        var version = 0
    }
    private let state = Mutex(State())

    /// Rooms with seats reserved for `seatGraceMs` (default one minute), at most `maxRooms`.
    public init(seatGraceMs: Int64 = 60_000, maxRooms: Int = 10_000) {
        self.seatGraceMs = seatGraceMs
        self.maxRooms = maxRooms
    }

    /// How many rooms are held.
    public var count: Int { state.withLock { $0.tables.count } }

    /// Whether a connection to `room` can be admitted: the room exists, or there is space for it
    /// once abandoned rooms are dropped.
    public func admits(_ room: String, now: Int64) -> Bool {
        state.withLock { state in
            if state.tables[room] != nil || state.tables.count < maxRooms { return true }
            state.tables = state.tables.filter { !$0.value.isAbandoned(now: now, graceMs: seatGraceMs) }
            return state.tables.count < maxRooms
        }
    }

    /// A connection arrives in `room` (created if new); returns its seat, if its token holds one.
    public func connect(room: String, clientId: String, token: String?, now: Int64) -> (you: Mark?, state: GameState) {
        change(room) { table in table.connect(clientId: clientId, token: token, now: now) }
    }

    /// A connection leaves `room`; a room left with nothing to keep is dropped (`nil`).
    public func disconnect(room: String, clientId: String, now: Int64) -> GameState? {
        state.withLock { state in
            guard var table = state.tables[room] else { return nil }
            table.disconnect(clientId: clientId, now: now)
            guard !table.isAbandoned(now: now, graceMs: seatGraceMs) else {
                state.tables[room] = nil
                return nil
            }
            state.version += 1
            table.version = state.version
            state.tables[room] = table
            return table.state
        }
    }

    /// Seats `clientId` in `room` (see ``Table/join(clientId:token:now:graceMs:)``) under a fresh
    /// random token; returns its mark and token.
    public func join(room: String, clientId: String, now: Int64) throws(TicTacToeError) -> (mark: Mark, token: String, state: GameState) {
        let token = Self.randomToken()
        let ((mark, seatToken), state) = try change(room) { table throws(TicTacToeError) in
            try table.join(clientId: clientId, token: token, now: now, graceMs: seatGraceMs)
        }
        return (mark, seatToken, state)
    }

    /// Plays `cell` for `clientId` in `room`.
    public func move(room: String, clientId: String, cell: Int) throws(TicTacToeError) -> GameState {
        try change(room) { table throws(TicTacToeError) in try table.move(clientId: clientId, cell: cell) }.state
    }

    /// Records `clientId`'s wish for a rematch in `room`.
    public func askRematch(room: String, clientId: String) throws(TicTacToeError) -> GameState {
        try change(room) { table throws(TicTacToeError) in try table.askRematch(clientId: clientId) }.state
    }

    /// `room` now, if it exists.
    public func state(of room: String) -> GameState? {
        state.withLock { $0.tables[room]?.state }
    }

    /// Applies `body` to `room`'s table (created if new); on success stamps it with the next
    /// version and returns `body`'s result and the new state. A failed change changes nothing.
    private func change<Result: Sendable, Failure: Error>(
        _ room: String, _ body: (inout Table) throws(Failure) -> Result
    ) throws(Failure) -> (Result, state: GameState) {
        try state.withLock { state throws(Failure) in
            var table = state.tables[room] ?? Table()
            let result = try body(&table)
            state.version += 1
            table.version = state.version
            state.tables[room] = table
            return (result, table.state)
        }
    }

    /// 128 random bits as 32 hex digits (the system's secure generator).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
