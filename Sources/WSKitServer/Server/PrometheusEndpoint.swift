import WSKitMetrics
import WSKitProtocol

extension HTTPResponse {
    /// `200 OK` with `registry`'s series in the Prometheus text format (a scrape).
    public static func prometheus(_ registry: MetricsRegistry) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: MetricsRegistry.prometheusContentType)
        headers.add(name: "Connection", value: "close")
        return HTTPResponse(status: .ok, headers: headers, body: Array(registry.prometheusText().utf8))
    }
}

extension MetricsRegistry {
    /// An `http` hook for the server that serves this registry on `path` (`GET` only) and hands
    /// every other request to `next` (404 by default):
    ///
    /// ```swift
    /// let metrics = MetricsRegistry()
    /// configuration.metrics = metrics
    /// let server = WebSocketServer(configuration: configuration, router: runtime,
    ///                              http: metrics.httpHandler()) { _ in .accept(Session()) }
    /// ```
    public func httpHandler(
        path: String = "/metrics",
        next: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() }
    ) -> @Sendable (PlainHTTPRequest) -> HTTPResponse {
        { [self] request in
            guard request.head.path == path else { return next(request) }
            guard request.head.method == "GET" else { return .methodNotAllowed(allowed: ["GET"]) }
            return .prometheus(self)
        }
    }
}
