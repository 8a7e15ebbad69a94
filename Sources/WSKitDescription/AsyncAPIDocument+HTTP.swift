import WSKitProtocol
import WSKitServer

extension AsyncAPIDocument {
    /// An HTTP handler for the server's plain requests (`WebSocketServer(…, http:)`) that serves
    /// this document at `GET /asyncapi.json` and `GET /asyncapi.yaml`, and hands every other
    /// request to `fallback`. Opt-in: a server serves nothing unless given this handler. The
    /// document is rendered once, here.
    public func httpHandler(
        jsonPath: String = "/asyncapi.json", yamlPath: String = "/asyncapi.yaml",
        fallback: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() }
    ) -> @Sendable (PlainHTTPRequest) -> HTTPResponse {
        let json = Array(json().utf8)
        let yaml = Array(yaml().utf8)
        return { request in
            guard request.head.method == "GET" else { return fallback(request) }
            switch request.head.path {
            case jsonPath:
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: json)
            case yamlPath:
                return HTTPResponse(status: .ok, headers: ["Content-Type": "application/yaml"], body: yaml)
            default:
                return fallback(request)
            }
        }
    }
}
