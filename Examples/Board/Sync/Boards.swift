/// Every board of the server, by room, behind one lock: edits of a board apply one at a time, in
/// the order the server takes them (the "server order" of last writer wins).
public final class Boards: Sendable {
    /// The most boards held (boards live as long as the process).
    public let maxBoards: Int
    /// How many deltas each board keeps for clients catching up.
    public let keepDeltas: Int
    private let boards = Mutex<[String: Board]>([:])

    /// At most `maxBoards` boards, each keeping its last `keepDeltas` deltas.
    public init(maxBoards: Int = 1_000, keepDeltas: Int = 200) {
        self.maxBoards = maxBoards
        self.keepDeltas = keepDeltas
    }

    /// Whether `room` exists or may be created.
    public func admits(_ room: String) -> Bool {
        boards.withLock { $0[room] != nil || $0.count < maxBoards }
    }

    /// Runs `body` on `room`'s board (created if new).
    public func with<Result: Sendable, Failure: Error>(
        _ room: String, _ body: (inout Board) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try boards.withLock { boards throws(Failure) in
            var board = boards[room] ?? Board(keep: keepDeltas)
            defer { boards[room] = board }
            return try body(&board)
        }
    }
}
