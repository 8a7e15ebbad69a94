import Testing
import WSKit
import WSKitBoard
import WSKitClient
import WSKitLiveFixtures

/// The board server over real sockets with Swift clients: snapshot then deltas, concurrent edits,
/// catching up after a disconnect by deltas or by snapshot, throttled and coalesced cursors.
@Suite("Board over real sockets", .serialized)
struct BoardSocketTests {
    static func withServer(keepDeltas: Int = 200, _ body: (BoardServer) async throws -> Void) async throws {
        let server = try BoardServer(port: 0, keepDeltas: keepDeltas, logger: NoLogger())
        try server.start()
        do {
            try await body(server)
        } catch {
            server.shutdown()
            throw error
        }
        server.shutdown()
    }

    @Test("a joining editor gets a snapshot, then only deltas; concurrent edits converge and the loser is told")
    func snapshotDeltasAndConflicts() async throws {
        try await Self.withServer { server in
            let a = try await BoardEditor(port: server.port, board: "b1")
            try await a.add(ShapeFields(x: 10, y: 10, color: "#ff0000", text: "one"))
            try await a.add(ShapeFields(x: 300, y: 200))
            let b = try await BoardEditor(port: server.port, board: "b1")
            let joined = try #require(await b.copy.syncs.first)
            #expect(joined.version == 2 && joined.shapes?.map(\.id) == ["s1", "s2"] && joined.deltas == nil)

            try await a.edit("s1", ShapeFields(text: "uno"))
            #expect(await b.reaches(3))
            #expect(await b.copy.deltasPushed == 1, "a change reaches the others as one delta")

            // Both edit s1 having seen version 3: a's x and colour first, then b's x and text.
            let base = 3
            let first = try await a.edit("s1", ShapeFields(x: 100, color: "#00ff00"), base: base)
            let second = try await b.edit("s1", ShapeFields(x: 500, text: "b wins x"), base: base)
            #expect(first.overwrote.isEmpty)
            #expect(second.overwrote == [Delta.Overwrite(loser: await a.copy.you, fields: ["x"])])
            #expect(await a.reaches(5))
            #expect(await b.reaches(5))
            #expect(await a.copy.lost.map(\.fields) == [["x"]], "the loser is told which fields it lost")
            #expect(await b.copy.lost.isEmpty)
            let shapesA = await a.copy.sorted, shapesB = await b.copy.sorted
            #expect(shapesA == shapesB)
            #expect(shapesA[0].x == 500 && shapesA[0].color == "#00ff00" && shapesA[0].text == "b wins x")

            // Refusals reach only the author.
            await #expect(throws: WebSocketClientError.self) { try await b.edit("s99", ShapeFields(x: 1)) }
            do {
                try await b.edit("s1", ShapeFields(color: "green"))
                Issue.record("a bad colour must be refused")
            } catch let error as WebSocketClientError {
                #expect(error.serverError?.code == .invalidArgument)
            }
            await a.client.close()
            await b.client.close()
        }
    }

    @Test("an editor back from a disconnect catches up by deltas since its version, or by a snapshot when too far behind")
    func catchUp() async throws {
        try await Self.withServer(keepDeltas: 5) { server in
            let a = try await BoardEditor(port: server.port, board: "b2")
            let b = try await BoardEditor(port: server.port, board: "b2")
            try await a.add(ShapeFields())
            #expect(await b.reaches(1))

            await b.client.close()
            for step in 1...3 { try await a.edit("s1", ShapeFields(x: Double(step * 10))) }
            try await b.connect()
            let resumed = try #require(await b.copy.syncs.last)
            #expect(resumed.deltas?.map(\.version) == [2, 3, 4] && resumed.shapes == nil, "three missed deltas, no snapshot")
            #expect(await b.copy.sorted == a.copy.sorted)

            await b.client.close()
            for step in 1...8 { try await a.edit("s1", ShapeFields(y: Double(step * 10))) }
            try await a.add(ShapeFields(text: "new"))
            try await b.connect()
            let behind = try #require(await b.copy.syncs.last)
            #expect(behind.shapes?.count == 2 && behind.deltas == nil && behind.version == 13, "too far behind: a snapshot")
            #expect(await b.copy.sorted == a.copy.sorted)
            await a.client.close()
            await b.client.close()
        }
    }

    @Test("cursors: a burst is throttled to at most 20 a second per user and coalesced to the latest position")
    func cursors() async throws {
        try await Self.withServer { server in
            let a = try await BoardEditor(port: server.port, board: "b3")
            let b = try await BoardEditor(port: server.port, board: "b3")
            for step in 1...200 {
                _ = try a.client.send(MoveCursor.self, BoardCursor(x: Double(step), y: 5))
                if step % 20 == 0 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(await eventually(timeout: 10) { await b.copy.cursors.last?.x == 200 }, "the latest position arrives")
            try await Task.sleep(for: .milliseconds(200))
            let received = await b.copy.cursors
            // The server stamps each forwarded cursor: never two within 50 ms (20 a second), give
            // or take the stamp's millisecond and the publish task's start.
            let times = await b.copy.cursorTimes
            let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 >= 40 }, "gaps between forwarded cursors (ms): \(gaps)")
            #expect(received.count >= 2 && received.count < 200, "the first at once, the latest at the end, few between")
            #expect(received.compactMap(\.x) == received.compactMap(\.x).sorted(), "in order")
            #expect(await a.copy.cursors.isEmpty, "not echoed to the sender")

            await a.client.close()
            #expect(await eventually(timeout: 10) { await b.copy.cursors.last.map { $0.x == nil } ?? false }, "a leaving user's cursor is removed")
            await b.client.close()
        }
    }
}
