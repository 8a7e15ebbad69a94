import WSKit
import WSKitDescription
import WSKitPresenceRedis
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
    /// The router (its `pubsub` carries the rooms).
    public let runtime: RouterRuntime<ChatSession, DemoPlugins>
    /// What it speaks (its AsyncAPI document and generated client come from it).
    public let apiDescription: APIDescription
    private let server: WebSocketServer<RouterSession<ChatSession, DemoPlugins>>

    /// Opens the store, connects to Redis with `--redis`, and builds the router; nothing listens
    /// until ``start()``.
    public init(options: DemoOptions, logger: any ServerLogger = StandardErrorLogger(minimumLevel: .notice)) async throws {
        self.options = options
        store = try HistoryStore(path: options.databasePath)
        let adapter: any PubSubAdapter
        let presenceStore: any PresenceStore
        if let url = options.redisURL {
            let configuration = try RedisConfiguration(url: url)
            adapter = RedisPubSubAdapter(configuration: configuration, channelPrefix: "wskit-demo:room:")
            presenceStore = RedisPresenceStore(configuration: configuration, prefix: "wskit-demo:presence:")
        } else {
            adapter = InMemoryPubSubAdapter()
            presenceStore = InMemoryPresenceStore()
        }
        let router = ChatRouter.make(store: store)
        apiDescription = DemoDescription.make(router: router)
        runtime = try router.build(
            plugins: DemoPlugins(adapter: adapter, presenceStore: presenceStore, heartbeatMs: options.heartbeatMs))
        let pubsubReady = await runtime.pubsub.ready(timeout: .seconds(10))
        let presenceReady = await runtime.presence.ready(timeout: .seconds(10))
        guard pubsubReady, presenceReady else {
            await runtime.pubsub.shutdown()
            await runtime.presence.shutdown()
            let what = pubsubReady ? "the presence store" : "the pub/sub adapter (\(runtime.pubsub.adapterName))"
            throw StartupError(description: "\(what) did not become ready")
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
            http: AsyncAPIDocument(apiDescription, path: "/ws").httpHandler { [files = DemoDescription.clientFiles(apiDescription)] request in
                DemoAssets.respond(to: request, generated: files) { #"{"status":"ok","rooms":"\#(mode)"}"# }
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
        // This instance's panes leave every other instance's Online list at once.
        await runtime.presence.shutdown()
    }
}
