import WSKit
import WSKitExampleWeb

/// The demo's plain-HTTP side: the page at `/`, its script and style, the stock browser client at
/// `/wskit.js` with its declarations at `/wskit.d.ts`, the generated typed client
/// (``DemoDescription/clientFiles(_:)``) and `/healthz`. The hand-written files are embedded in
/// the binary at build time (Examples/Demo/Public), so nothing is read from disk.
public enum DemoAssets {
    /// The page and the browser client.
    static let site = StaticSite(pages: EmbeddedAssets.files)

    /// The embedded files by URL path (`/index.html` is also served at `/`).
    public static var files: [String: [UInt8]] { site.files }

    /// The `Content-Type` for a path, by extension.
    public static func contentType(of path: String) -> String {
        StaticSite.contentType(of: path)
    }

    /// Answers a request that is not a WebSocket upgrade. `generated` are files generated at
    /// start-up (by URL path); `health` is the body of `/healthz`.
    public static func respond(
        to request: PlainHTTPRequest, generated: [String: [UInt8]] = [:], health: @Sendable () -> String
    ) -> HTTPResponse {
        site.respond(to: request, generated: generated, health: health) { path in
            path.hasPrefix("/ws")
                ? .badRequest("This is a WebSocket endpoint: connect with ws://…/ws/<room>?name=<displayName>")
                : .notFound()
        }
    }
}
