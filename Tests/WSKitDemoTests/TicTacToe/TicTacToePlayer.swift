import WSKitClient
import WSKitLiveFixtures
import WSKitTicTacToe

/// A player (or spectator) on WSKit's Swift client, as an app would write one: it keeps the seat
/// token from `JOIN` and presents it on every connect, and keeps the room's newest state from
/// `WELCOME` and `STATE`.
final class TicTacToePlayer: Sendable {
    /// What the player has seen.
    actor Memory {
        var token: String?
        var you: Mark?
        var state: GameState?
        var welcomes = 0

        func welcome(_ payload: Welcome.Payload) {
            welcomes += 1
            you = payload.you
            if payload.you == nil { token = nil }
            apply(payload.state)
        }

        func keep(token: String?) { self.token = token }

        func seated(_ seated: Join.Response) {
            token = seated.token
            you = seated.you
            apply(seated.state)
        }

        /// Keeps the newest state (pushes may overtake each other).
        func apply(_ next: GameState) {
            if (state?.version ?? -1) < next.version { state = next }
        }
    }

    let client: WebSocketClient
    let memory = Memory()

    /// A client of `/ws/<room>` on `port`; `token` starts it in a seat (another tab of a player).
    init(port: Int, room: String, token: String? = nil) async throws {
        var configuration = WebSocketClientConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(port)/ws/\(room)"))
        let memory = memory
        await memory.keep(token: token)
        configuration.auth = ClientAuth(placement: .query) { await memory.token }
        client = WebSocketClient(configuration: configuration)
        client.on(Welcome.self) { await memory.welcome($0.payload) }
        client.on(StateChanged.self) { await memory.apply($0.payload) }
        try await client.connect()
        guard await eventually(timeout: 10, { await memory.welcomes > 0 }) else {
            throw WebSocketClientError.timeout(.seconds(10))
        }
    }

    /// `JOIN`, remembering the token.
    @discardableResult
    func join() async throws -> Mark {
        let seated = try await client.request(Join.self)
        await memory.seated(seated)
        return seated.you
    }

    /// `MOVE`.
    func move(_ cell: Int) async throws {
        await memory.apply(try await client.request(Move.self, .init(cell: cell)))
    }

    /// `REMATCH`.
    func rematch() async throws {
        await memory.apply(try await client.request(Rematch.self))
    }

    /// The error code a request fails with (`nil` when it succeeds).
    func code(of request: () async throws -> Void) async -> String? {
        do {
            try await request()
            return nil
        } catch let error as WebSocketClientError {
            if case .validation = error { return "CLIENT_VALIDATION" }
            return error.serverError?.code.rawValue ?? "\(error)"
        } catch {
            return "\(error)"
        }
    }

    /// Waits until the player's view satisfies `condition`.
    func sees(_ condition: @escaping @Sendable (GameState) -> Bool) async -> Bool {
        await eventually(timeout: 10) { await memory.state.map(condition) ?? false }
    }
}
