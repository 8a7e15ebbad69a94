import WSKit

/// The whole example in one object: the boards, the cursor throttles, the router and the epoll
/// server serving the page, the browser client, `/healthz` and the board WebSockets
/// (`/ws/<board>`) on one port.
public final class BoardServer: Sendable {
    /// Every board.
    public let boards: Boards
    private let server: WebSocketServer<RouterSession<BoardSession, BoardPlugins>>

    /// A server for `host:port` (port 0: any free port) forwarding at most `cursorsPerSecond`
    /// cursor positions per user, each board keeping its last `keepDeltas` deltas for clients
    /// catching up; nothing listens until ``start()``.
    public init(
        host: String = "127.0.0.1", port: Int = 3002, cursorsPerSecond: Int = 20, keepDeltas: Int = 200,
        logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)
    ) throws {
        let boards = Boards(keepDeltas: keepDeltas)
        self.boards = boards
        var configuration = ServerConfiguration(host: host, port: port)
        configuration.logger = logger
        let runtime = try BoardRouter.make(boards: boards, cursors: Cursors(perSecond: cursorsPerSecond))
            .build(plugins: BoardPlugins())
        server = WebSocketServer(
            configuration: configuration, router: runtime,
            http: { request in BoardAssets.respond(to: request) { #"{"status":"ok"}"# } },
            upgrade: { request in
                let path = request.head.path
                guard path.hasPrefix("/ws/"), BoardRoomName.isValid(path.dropFirst(4)) else {
                    return .refuse(.notFound("Boards live at /ws/<board>: 1…\(BoardRoomName.maxLength) of a-z A-Z 0-9 - _"))
                }
                let room = String(path.dropFirst(4))
                guard boards.admits(room) else { return .refuse(.serviceUnavailable(retryAfter: .seconds(60), "Too many boards")) }
                return .accept(BoardSession(room: room))
            })
    }

    /// The port it listens on (after ``start()``).
    public var port: Int { server.port }

    /// Starts listening.
    public func start() throws { try server.start() }

    /// Closes every connection gracefully and stops listening.
    public func shutdown() { server.shutdown() }
}
