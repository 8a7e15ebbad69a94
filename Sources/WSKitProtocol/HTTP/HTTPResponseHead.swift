/// The status line and header fields of an HTTP/1.1 response (RFC 9112 §4), as a client reads it.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The HTTP version.
    public var version: HTTPVersion
    /// The status code, with the reason phrase as received.
    public var status: HTTPStatus
    /// The header fields in order.
    public var headers: HTTPHeaders

    /// Creates a head.
    public init(version: HTTPVersion = .http1_1, status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders()) {
        self.version = version
        self.status = status
        self.headers = headers
    }
}
