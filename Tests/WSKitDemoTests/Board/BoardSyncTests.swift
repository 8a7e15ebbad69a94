import Testing
import WSKitBoard

/// The board's rules without sockets: versions, deltas since a version, per-field last writer
/// wins with the loser named, and the cursor throttle.
@Suite("Board sync rules")
struct BoardSyncTests {
    @Test("every change is one version; deltas since a kept version, else nil (a snapshot is needed)")
    func versionsAndDeltas() throws {
        var board = Board(keep: 3)
        let added = try board.add(ShapeFields(x: 10, color: "#112233"), by: "a")
        #expect(added.version == 1 && added.added && added.shapeId == "s1")
        #expect(added.fields.x == 10 && added.fields.y == 100 && added.fields.color == "#112233", "an add carries every field")
        for step in 1...4 { _ = try board.edit("s1", ShapeFields(y: Double(step)), base: board.version, by: "a") }
        #expect(board.version == 5)
        #expect(board.deltas(since: 5) == [])
        #expect(board.deltas(since: 2)?.map(\.version) == [3, 4, 5])
        #expect(board.deltas(since: 1) == nil, "version 2 is no longer kept")
        #expect(board.deltas(since: 6) == nil, "a version from the future")
        #expect(board.snapshot.map(\.y) == [4])
    }

    @Test("concurrent edits: per field, the later one in server order wins and names the writer it overwrote")
    func lastWriterWins() throws {
        var board = Board()
        _ = try board.add(ShapeFields(), by: "a")
        let base = board.version
        let first = try board.edit("s1", ShapeFields(x: 100, color: "#ff0000"), base: base, by: "a")
        #expect(first.overwrote.isEmpty)
        // b had not seen a's edit: x and text are b's; color stays a's; a lost x.
        let second = try board.edit("s1", ShapeFields(x: 300, text: "b"), base: base, by: "b")
        #expect(second.overwrote == [Delta.Overwrite(loser: "a", fields: ["x"])])
        #expect(board.snapshot[0].x == 300 && board.snapshot[0].color == "#ff0000" && board.snapshot[0].text == "b")
        // An edit made after seeing the other's is no conflict; nor is overwriting oneself.
        #expect(try board.edit("s1", ShapeFields(x: 50), base: board.version, by: "a").overwrote.isEmpty)
        #expect(try board.edit("s1", ShapeFields(x: 60), base: base, by: "a").overwrote.isEmpty)
    }

    @Test("bad edits are refused and change nothing: unknown shape, out of range, bad colour, long label, full board")
    func refusals() throws {
        var board = Board(keep: 10, maxShapes: 1)
        #expect(throws: BoardError.noSuchShape("s9")) { try board.edit("s9", ShapeFields(x: 1), base: 0, by: "a") }
        #expect(throws: BoardError.invalidFields("x must be in 0.0…1000.0")) { try board.add(ShapeFields(x: 1001), by: "a") }
        #expect(throws: BoardError.invalidFields("color must be #rrggbb")) { try board.add(ShapeFields(color: "red"), by: "a") }
        #expect(throws: BoardError.invalidFields("text has at most 80 characters")) {
            try board.add(ShapeFields(text: String(repeating: "x", count: 81)), by: "a")
        }
        _ = try board.add(ShapeFields(), by: "a")
        #expect(throws: BoardError.boardFull(1)) { try board.add(ShapeFields(), by: "a") }
        #expect(board.version == 1)
    }

    @Test("cursor throttle: the first goes at once, the rest are coalesced into the latest, sent when the interval ends")
    func cursorThrottle() {
        var throttle = CursorThrottle(intervalMs: 50)
        #expect(throttle.offer(BoardCursor(x: 1, y: 1), now: 1000) == .sendNow)
        #expect(throttle.offer(BoardCursor(x: 2, y: 2), now: 1010) == .flushLater(afterMs: 40))
        #expect(throttle.offer(BoardCursor(x: 3, y: 3), now: 1020) == .coalesced)
        #expect(throttle.flush(now: 1050) == BoardCursor(x: 3, y: 3))
        #expect(throttle.flush(now: 1060) == nil)
        #expect(throttle.offer(BoardCursor(x: 4, y: 4), now: 1070) == .flushLater(afterMs: 30))
        #expect(throttle.flush(now: 1100) == BoardCursor(x: 4, y: 4))
        #expect(throttle.offer(BoardCursor(x: 5, y: 5), now: 1200) == .sendNow)
    }
}
