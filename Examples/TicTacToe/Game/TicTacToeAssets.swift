import WSKit

/// The plain-HTTP side: the page at `/` (any `?room=`), its script and style, the browser client
/// at `/wskit.js`, and `/healthz`. The files are embedded in the binary (Examples/TicTacToe/Public
/// and the demo's wskit.js), so nothing is read from disk.
public enum TicTacToeAssets {
    /// The embedded files by URL path (`/index.html` is also served at `/`).
    public static let files: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for file in EmbeddedAssets.files { files[file.path] = Array(file.text.utf8) }
        return files
    }()

    /// Answers a request that is not a WebSocket upgrade.
    public static func respond(to request: PlainHTTPRequest, health: @Sendable () -> String) -> HTTPResponse {
        let head = request.head
        guard head.method == "GET" || head.method == "HEAD" else { return .methodNotAllowed(allowed: ["GET", "HEAD"]) }
        let path = head.path == "/" ? "/index.html" : head.path
        var response: HTTPResponse
        if head.path == "/healthz" {
            response = ok(Array(health().utf8), contentType: "application/json")
        } else if let body = files[path] {
            response = ok(body, contentType: contentType(of: path))
        } else {
            response = .notFound()
        }
        if head.method == "HEAD" {
            response.headers.add(name: "Content-Length", value: String(response.body.count))
            response.body = []
        }
        return response
    }

    private static func contentType(of path: String) -> String {
        if path.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if path.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if path.hasSuffix(".css") { return "text/css; charset=utf-8" }
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
