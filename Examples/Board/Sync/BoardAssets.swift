import WSKit
import WSKitExampleWeb

/// The plain-HTTP side: the page at `/` (any `?board=`), its script and style, the browser client
/// at `/wskit.js`, and `/healthz`. The files are embedded in the binary (Examples/Board/Public
/// and the shared browser client), so nothing is read from disk.
public enum BoardAssets {
    /// The page and the browser client.
    static let site = StaticSite(pages: EmbeddedAssets.files)

    /// The embedded files by URL path (`/index.html` is also served at `/`).
    public static var files: [String: [UInt8]] { site.files }

    /// Answers a request that is not a WebSocket upgrade.
    public static func respond(to request: PlainHTTPRequest, health: @Sendable () -> String) -> HTTPResponse {
        site.respond(to: request, health: health)
    }
}
