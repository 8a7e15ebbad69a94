import Glibc
import Testing
import WSKit
import WSKitClient
import WSKitLiveFixtures
import WSKitTicTacToe

/// The tic-tac-toe server over real sockets: Swift clients play, watch, make mistakes, drop and
/// come back; raw sockets check the upgrade and the server-side validation.
@Suite("Tic-tac-toe over real sockets", .serialized)
struct TicTacToeSocketTests {
    static func withServer(seatGraceMs: Int64 = 60_000, _ body: (TicTacToeServer) async throws -> Void) async throws {
        let server = try TicTacToeServer(port: 0, seatGraceMs: seatGraceMs, logger: NoLogger())
        try server.start()
        do {
            try await body(server)
        } catch {
            server.shutdown()
            throw error
        }
        server.shutdown()
    }

    @Test("two players play a full game, a spectator sees every move, mistakes get their codes, a rematch starts round 2")
    func fullGame() async throws {
        try await Self.withServer { server in
            let x = try await TicTacToePlayer(port: server.port, room: "g1")
            let o = try await TicTacToePlayer(port: server.port, room: "g1")
            let watcher = try await TicTacToePlayer(port: server.port, room: "g1")
            #expect(try await x.join() == .x)
            #expect(await x.code { try await x.move(0) } == "WAITING_FOR_OPPONENT")
            #expect(try await o.join() == .o)
            #expect(await watcher.code { try await watcher.join() } == "ROOM_FULL")
            #expect(await watcher.memory.you == nil)

            #expect(await watcher.code { try await watcher.move(0) } == "NOT_A_PLAYER")
            #expect(await o.code { try await o.move(0) } == "NOT_YOUR_TURN")
            try await x.move(4)
            #expect(await o.code { try await o.move(4) } == "CELL_TAKEN")
            #expect(await o.code { try await o.move(9) } == "CLIENT_VALIDATION", "the shared contract refuses it before sending")
            #expect(await x.code { try await x.rematch() } == "GAME_NOT_OVER")
            // X: 4, 0, 8 wins on the diagonal; O: 1, 2.
            try await o.move(1)
            try await x.move(0)
            try await o.move(2)
            try await x.move(8)
            for view in [x, o, watcher] {
                #expect(await view.sees { $0.status == "won" && $0.winner == .x && $0.line == [0, 4, 8] })
            }
            let final = try #require(await watcher.memory.state)
            #expect(final.board == ["X", "O", "O", "", "X", "", "", "", "X"])
            #expect(final.spectators == 1)
            #expect(await o.code { try await o.move(5) } == "GAME_OVER")

            #expect(await watcher.code { try await watcher.rematch() } == "NOT_A_PLAYER")
            try await o.rematch()
            #expect(await x.sees { $0.rematch == [.o] })
            try await x.rematch()
            for view in [x, o, watcher] {
                #expect(await view.sees { $0.round == 2 && $0.status == "playing" && $0.turn == .o && $0.board.allSatisfy(\.isEmpty) })
            }
            for view in [x, o, watcher] { await view.client.close() }
        }
    }

    @Test("a player who reconnects mid-game is back in the same seat without a JOIN; a second tab with the token plays too")
    func reconnectKeepsTheSeat() async throws {
        try await Self.withServer { server in
            let x = try await TicTacToePlayer(port: server.port, room: "g2")
            let o = try await TicTacToePlayer(port: server.port, room: "g2")
            try await x.join()
            try await o.join()
            try await x.move(0)
            try await o.move(4)

            await x.client.close()
            #expect(await o.sees { $0.seats[0].taken && !$0.seats[0].online }, "O sees X away, seat kept")
            try await x.client.connect()
            #expect(await eventually(timeout: 10) { await x.memory.welcomes == 2 })
            #expect(await x.memory.you == .x, "the WELCOME of the new connection puts X back in its seat")
            #expect(await x.memory.state?.board == ["X", "", "", "", "O", "", "", "", ""])
            #expect(await o.sees { $0.seats[0].online })
            try await x.move(1)
            #expect(await o.sees { $0.board[1] == "X" && $0.turn == .o })

            // Another tab of the same player (the token copied): also X; the first tab still plays.
            let token = try #require(await x.memory.token)
            let tab = try await TicTacToePlayer(port: server.port, room: "g2", token: token)
            #expect(await tab.memory.you == .x)
            try await o.move(8)
            try await tab.move(2)
            #expect(await x.sees { $0.status == "won" && $0.winner == .x })
            for view in [x, o, tab] { await view.client.close() }
        }
    }

    @Test("after the grace a newcomer takes the away player's seat; the old token then only watches")
    func graceExpires() async throws {
        try await Self.withServer(seatGraceMs: 300) { server in
            let x = try await TicTacToePlayer(port: server.port, room: "g3")
            let o = try await TicTacToePlayer(port: server.port, room: "g3")
            let newcomer = try await TicTacToePlayer(port: server.port, room: "g3")
            try await x.join()
            try await o.join()
            try await x.move(0)
            let oldToken = try #require(await x.memory.token)
            await x.client.close()
            #expect(await o.sees { !$0.seats[0].online })
            #expect(await eventually(timeout: 10) {
                await newcomer.code { try await newcomer.join() } == nil
            }, "the seat frees once its player has been away for the grace")
            #expect(await newcomer.memory.you == .x)
            try await o.move(4)
            #expect(await newcomer.sees { $0.board[4] == "O" && $0.turn == .x })
            let late = try await TicTacToePlayer(port: server.port, room: "g3", token: oldToken)
            #expect(await late.memory.you == nil)
            #expect(await late.memory.token == nil, "a void token is forgotten")
            for view in [o, newcomer, late] { await view.client.close() }
        }
    }

    @Test("raw sockets: an abrupt drop and an upgrade with ?access_token= get the seat back; invalid cells and paths are refused")
    func rawSockets() async throws {
        try await Self.withServer { server in
            let port = server.port
            try await runBlocking {
                let x = try ChatTestClient(port: port, path: "/ws/raw")
                #expect(try x.push("WELCOME").payload?["you"] == nil)
                let seated = try x.request("JOIN")
                #expect(seated.type == "SEATED")
                let token = try #require(seated.payload?["token"]?.stringValue)
                #expect(token.count == 32)
                let o = try ChatTestClient(port: port, path: "/ws/raw")
                #expect(try o.request("JOIN").payload?["you"]?.stringValue == "O")
                #expect(try x.request("MOVE", #"{"cell":4}"#).type == "MOVED")

                let invalid = try o.request("MOVE", #"{"cell":9}"#)
                #expect(invalid.type == "RPC_ERROR" && invalid.errorCode == "INVALID_ARGUMENT")
                #expect(try o.request("MOVE", #"{"cell":"4"}"#).errorCode == "INVALID_ARGUMENT")

                // The network vanishes: no close frame.
                shutdown(x.raw.fd, Int32(SHUT_RDWR))
                let back = try ChatTestClient(port: port, path: "/ws/raw?access_token=\(token)")
                let welcome = try back.push("WELCOME")
                #expect(welcome.payload?["you"]?.stringValue == "X")
                #expect(welcome.payload?["state"]?["board"]?[4]?.stringValue == "X")
                #expect(try o.request("MOVE", #"{"cell":0}"#).type == "MOVED")
                #expect(try back.request("MOVE", #"{"cell":8}"#).type == "MOVED")

                for path in ["/ws/", "/ws/has%20space", "/ws/" + String(repeating: "r", count: 33), "/elsewhere"] {
                    let client = try RawClient(port: port)
                    #expect(try client.handshake(path: path).hasPrefix("HTTP/1.1 404"), "\(path)")
                }
                #expect(try httpGet(port: port, path: "/?room=abc").contains("<title>Tic-tac-toe"))
                #expect(try httpGet(port: port, path: "/wskit.js").contains("text/javascript"))
                back.close()
                o.close()
            }
        }
    }
}
