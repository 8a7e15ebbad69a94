import WSKit

/// The whole demo in one object: history store, rooms, router and the epoll server serving the
/// page, the browser client, `/healthz` and the chat WebSockets on one port.
public final class DemoServer: Sendable {
    /// What it was started with.
    public let options: DemoOptions
    /// The history.
    public let store: HistoryStore
    /// The rooms (in-process, or through Redis).
    public let rooms: any ChatRooms
    private let server: WebSocketServer<RouterSession<ChatSession, DemoPlugins>>

    /// Opens the store and builds the router; nothing listens until ``start()``.
    public init(options: DemoOptions, logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)) async throws {
        self.options = options
        store = try HistoryStore(path: options.databasePath)
        let rooms: any ChatRooms
        if let url = options.redisURL {
            rooms = try await RedisRooms.connect(url: url)
        } else {
            rooms = LocalRooms()
        }
        self.rooms = rooms
        let runtime = try ChatRouter.make(store: store, rooms: rooms, rateLimit: MessageRateLimit())
            .build(plugins: DemoPlugins())
        let mode = options.redisURL == nil ? "local" : "redis"
        var configuration = ServerConfiguration(host: options.host, port: options.port)
        configuration.logger = logger
        server = WebSocketServer(
            configuration: configuration, router: runtime,
            http: { request in
                DemoAssets.respond(to: request) { #"{"status":"ok","rooms":"\#(mode)"}"# }
            },
            upgrade: { request in
                switch ChatUpgrade.session(path: request.path, query: request.head.queryItems) {
                case .success(let session): .accept(session)
                case .failure(let reason): .refuse(reason.response)
                }
            })
    }

    /// The port it listens on (after ``start()``; useful with port 0).
    public var port: Int { server.port }

    /// Starts listening.
    public func start() throws {
        try server.start()
    }

    /// Closes every connection gracefully, stops listening, and releases the rooms.
    public func shutdown() async {
        server.shutdown()
        await rooms.shutdown()
    }
}
