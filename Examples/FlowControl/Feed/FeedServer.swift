import Foundation
import WSKit

/// The flow-control example in one object: the live feed, its router and the epoll server that
/// serves the page at `/`, the server's view of every client at `/stats`, and the feed's
/// WebSockets at `/feed?name=…`, on one port.
public final class FeedServer: Sendable {
    /// The feed.
    public let feed: LiveFeed
    /// The router.
    public let runtime: RouterRuntime<Watcher, FeedPlugins>
    private let server: WebSocketServer<RouterSession<Watcher, FeedPlugins>>

    /// A server on `host:port` (0: any free port) for `feed`; `configuration` adjusts the server
    /// (limits, loops) before it starts.
    public init(
        feed: LiveFeed, host: String = "127.0.0.1", port: Int = 3003,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        self.feed = feed
        runtime = try FeedRouter.make(feed: feed).build(plugins: FeedPlugins())
        var configuration = ServerConfiguration(host: host, port: port)
        configuration.logger = StandardErrorLogger(minimumLevel: .notice)
        configure(&configuration)
        server = WebSocketServer(
            configuration: configuration, router: runtime,
            http: { [feed] request in Self.respond(to: request, feed: feed) },
            upgrade: { request in
                guard request.path == "/feed" else { return .refuse(.notFound()) }
                let name = request.head.queryValue("name") ?? "anonymous"
                return .accept(Watcher(name: String(name.prefix(40))))
            })
    }

    /// The port it listens on (after ``start()``).
    public var port: Int { server.port }

    /// Starts the feed and the server.
    public func start() throws {
        try server.start()
        feed.start()
    }

    /// Stops the feed and closes every connection.
    public func shutdown() {
        feed.stop()
        server.shutdown()
    }

    static func respond(to request: PlainHTTPRequest, feed: LiveFeed) -> HTTPResponse {
        switch (request.head.method, request.head.path) {
        case ("GET", "/"), ("GET", "/index.html"):
            return ok(Array(FeedPage.html.utf8), contentType: "text/html; charset=utf-8")
        case ("GET", "/stats"):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(feed.stats())).map { Array($0) } ?? Array("[]".utf8)
            return ok(body, contentType: "application/json")
        case ("GET", "/healthz"):
            return ok(Array(#"{"status":"ok"}"#.utf8), contentType: "application/json")
        case (let method, _) where method != "GET":
            return .methodNotAllowed(allowed: ["GET"])
        default:
            return .notFound()
        }
    }

    private static func ok(_ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": contentType, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"],
            body: body)
    }
}
