import WSKit
import WSKitPubSubRedis
import WSKitRedis

/// The whole demo in one object: history store, presence, router (with its plugins) and the
/// epoll server serving the page, the browser client, `/healthz` and the chat WebSockets on one
/// port.
public final class DemoServer: Sendable {
    /// Why the demo could not start.
    public struct StartupError: Error, Sendable, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// What it was started with.
    public let options: DemoOptions
    /// The history.
    public let store: HistoryStore
    /// Who is in which room (in-process, or through Redis).
    public let presence: any ChatPresence
    /// The router (its `pubsub` carries the rooms).
    public let runtime: RouterRuntime<ChatSession, DemoPlugins>
    private let server: WebSocketServer<RouterSession<ChatSession, DemoPlugins>>

    /// Opens the store, connects to Redis with `--redis`, and builds the router; nothing listens
    /// until ``start()``.
    public init(options: DemoOptions, logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)) async throws {
        self.options = options
        store = try HistoryStore(path: options.databasePath)
        let adapter: any PubSubAdapter
        if let url = options.redisURL {
            let configuration = try RedisConfiguration(url: url)
            presence = try await RedisPresence.connect(configuration)
            adapter = RedisPubSubAdapter(configuration: configuration, channelPrefix: RedisPresence.prefix + ":room:")
        } else {
            presence = LocalPresence()
            adapter = InMemoryPubSubAdapter()
        }
        runtime = try ChatRouter.make(store: store, presence: presence).build(plugins: DemoPlugins(adapter: adapter, heartbeatMs: options.heartbeatMs))
        guard await runtime.pubsub.ready(timeout: .seconds(10)) else {
            await runtime.pubsub.shutdown()
            await presence.shutdown()
            throw StartupError(description: "the pub/sub adapter (\(runtime.pubsub.adapterName)) did not become ready")
        }
        let mode = options.redisURL == nil ? "local" : "redis"
        var configuration = ServerConfiguration(host: options.host, port: options.port)
        // The heartbeat sweeps on each loop's coarse timer: tick often enough for short intervals.
        configuration.timerResolution = min(.seconds(1), .milliseconds(options.heartbeatMs) / 4)
        configuration.logger = logger
        if let certificate = options.tlsCertificatePath, let key = options.tlsKeyPath {
            configuration.tls = TLSServerConfiguration(certificateChainFile: certificate, privateKeyFile: key)
        }
        configuration.compression = options.compression ? .default : nil
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

    /// Whether the page and WebSockets are served over TLS (https/wss).
    public var isTLS: Bool { server.isTLS }

    /// Re-reads the TLS certificate and key on every SIGHUP (see `WebSocketServer.reloadTLS`).
    public func reloadTLSOnHangup() throws {
        try server.reloadTLSOnHangup()
    }

    /// Closes every connection gracefully, stops listening, and releases pub/sub and presence.
    public func shutdown() async {
        server.shutdown()
        await runtime.pubsub.shutdown()
        await presence.shutdown()
    }
}
