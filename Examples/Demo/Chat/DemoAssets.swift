import WSKit

/// The demo's plain-HTTP side: the page at `/`, its script and style, the stock browser client at
/// `/wskit.js` with its declarations at `/wskit.d.ts`, the generated typed client
/// (``DemoDescription/clientFiles(_:)``) and `/healthz`. The hand-written files are embedded in
/// the binary at build time (Examples/Demo/Public), so nothing is read from disk.
public enum DemoAssets {
    /// The embedded files by URL path (`/index.html` is also served at `/`).
    public static let files: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for file in EmbeddedAssets.files { files[file.path] = Array(file.text.utf8) }
        return files
    }()

    /// The `Content-Type` for a path, by extension.
    public static func contentType(of path: String) -> String {
        if path.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if path.hasSuffix(".d.ts") { return "application/typescript; charset=utf-8" }
        if path.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if path.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if path.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/octet-stream"
    }

    /// Answers a request that is not a WebSocket upgrade. `generated` are files generated at
    /// start-up (by URL path); `health` is the body of `/healthz`.
    public static func respond(
        to request: PlainHTTPRequest, generated: [String: [UInt8]] = [:], health: @Sendable () -> String
    ) -> HTTPResponse {
        let head = request.head
        guard head.method == "GET" || head.method == "HEAD" else { return .methodNotAllowed(allowed: ["GET", "HEAD"]) }
        var response: HTTPResponse
        if head.path == "/healthz" {
            response = ok(Array(health().utf8), contentType: "application/json")
        } else if let body = generated[head.path] ?? files[head.path == "/" ? "/index.html" : head.path] {
            response = ok(body, contentType: contentType(of: head.path == "/" ? "/index.html" : head.path))
        } else if head.path.hasPrefix("/ws") {
            response = .badRequest("This is a WebSocket endpoint: connect with ws://…/ws/<room>?name=<displayName>")
        } else {
            response = .notFound()
        }
        if head.method == "HEAD" {
            response.headers.add(name: "Content-Length", value: String(response.body.count))
            response.body = []
        }
        return response
    }

    private static func ok(_ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(
            status: .ok,
            headers: ["Content-Type": contentType, "Cache-Control": "no-cache", "Connection": "close",
                      "X-Content-Type-Options": "nosniff"],
            body: body)
    }
}
