import WSKit

/// An example's plain-HTTP side: its embedded page files and the shared browser client
/// (``BrowserClient``), `/healthz`, and nothing read from disk. The demo, tic-tac-toe and board
/// serve their pages through one of these.
public struct StaticSite: Sendable {
    /// The files by URL path (`/index.html` is also served at `/`).
    public let files: [String: [UInt8]]

    /// A site of `pages` (`(path, text)` as an example's generated `EmbeddedAssets.files` lists
    /// them) plus the browser client at `/wskit.js` and `/wskit.d.ts`.
    public init(pages: [(path: String, text: String)]) {
        var files = BrowserClient.files
        for page in pages { files[page.path] = Array(page.text.utf8) }
        self.files = files
    }

    /// Answers a request that is not a WebSocket upgrade: `GET`/`HEAD` of a file, of one of the
    /// `generated` files (built at start-up, by URL path), or of `/healthz` (`health`'s JSON);
    /// otherwise `unknown(path)`, by default 404.
    public func respond(
        to request: PlainHTTPRequest, generated: [String: [UInt8]] = [:], health: @Sendable () -> String,
        unknown: (String) -> HTTPResponse = { _ in .notFound() }
    ) -> HTTPResponse {
        let head = request.head
        guard head.method == "GET" || head.method == "HEAD" else { return .methodNotAllowed(allowed: ["GET", "HEAD"]) }
        let path = head.path == "/" ? "/index.html" : head.path
        var response: HTTPResponse
        if head.path == "/healthz" {
            response = Self.ok(Array(health().utf8), contentType: "application/json")
        } else if let body = generated[head.path] ?? files[path] {
            response = Self.ok(body, contentType: Self.contentType(of: path))
        } else {
            response = unknown(head.path)
        }
        if head.method == "HEAD" {
            response.headers.add(name: "Content-Length", value: String(response.body.count))
            response.body = []
        }
        return response
    }

    /// The `Content-Type` for a path, by extension.
    public static func contentType(of path: String) -> String {
        if path.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if path.hasSuffix(".d.ts") { return "application/typescript; charset=utf-8" }
        if path.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if path.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if path.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }

    private static func ok(_ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": contentType, "Cache-Control": "no-cache", "Connection": "close",
                      "X-Content-Type-Options": "nosniff"],
            body: body)
    }
}
