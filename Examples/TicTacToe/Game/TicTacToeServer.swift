import WSKit

/// The whole example in one object: the rooms, the router and the epoll server serving the page,
/// the browser client, `/healthz` and the game WebSockets (`/ws/<room>`) on one port.
public final class TicTacToeServer: Sendable {
    /// Every room.
    public let tables: Tables
    private let server: WebSocketServer<RouterSession<TicTacToeSession, TicTacToePlugins>>

    /// A server for `host:port` (port 0: any free port) keeping an absent player's seat for
    /// `seatGraceMs`; nothing listens until ``start()``.
    public init(
        host: String = "127.0.0.1", port: Int = 3001, seatGraceMs: Int64 = 60_000,
        logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)
    ) throws {
        let tables = Tables(seatGraceMs: seatGraceMs)
        self.tables = tables
        var configuration = ServerConfiguration(host: host, port: port)
        configuration.logger = logger
        let runtime = try TicTacToeRouter.make(tables: tables).build(plugins: TicTacToePlugins())
        server = WebSocketServer(
            configuration: configuration, router: runtime,
            http: { request in
                TicTacToeAssets.respond(to: request) { #"{"status":"ok","rooms":\#(tables.count)}"# }
            },
            upgrade: { request in
                let path = request.head.path
                guard path.hasPrefix("/ws/"), RoomName.isValid(path.dropFirst(4)) else {
                    return .refuse(.notFound("Games live at /ws/<room>: 1…\(RoomName.maxLength) of a-z A-Z 0-9 - _"))
                }
                let room = String(path.dropFirst(4))
                guard tables.admits(room, now: SystemClock().nowMs) else {
                    return .refuse(.serviceUnavailable(retryAfter: .seconds(60), "Too many rooms"))
                }
                let token = request.bearerToken()
                return .accept(TicTacToeSession(room: room, seatToken: token?.value), subprotocol: token?.subprotocolToSelect)
            })
    }

    /// The port it listens on (after ``start()``).
    public var port: Int { server.port }

    /// Starts listening.
    public func start() throws { try server.start() }

    /// Closes every connection gracefully and stops listening.
    public func shutdown() { server.shutdown() }
}
