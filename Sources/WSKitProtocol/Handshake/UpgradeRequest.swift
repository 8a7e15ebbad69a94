/// A request that passed `WebSocketHandshake.validateUpgrade`: the facts a server needs to decide
/// whether to accept it and how to answer (RFC 6455 §4.2.1).
public struct UpgradeRequest: Sendable, Hashable {
    /// The full request head (path, query, cookies, authorization…).
    public var head: HTTPRequestHead
    /// `Sec-WebSocket-Key`: base64 of 16 bytes, as sent.
    public var key: String
    /// `Host`, as sent.
    public var host: String
    /// `Origin`, if sent (browsers always send it; check it to stop cross-site WebSocket hijacking).
    public var origin: String?
    /// The subprotocols of `Sec-WebSocket-Protocol` in the client's order of preference.
    public var subprotocols: [String]
    /// The extension offers of `Sec-WebSocket-Extensions` in the client's order of preference.
    public var extensions: [WebSocketExtensionOffer]

    /// Creates a request description.
    public init(
        head: HTTPRequestHead,
        key: String,
        host: String,
        origin: String? = nil,
        subprotocols: [String] = [],
        extensions: [WebSocketExtensionOffer] = []
    ) {
        self.head = head
        self.key = key
        self.host = host
        self.origin = origin
        self.subprotocols = subprotocols
        self.extensions = extensions
    }

    /// The request path, still percent-encoded (shorthand for `head.path`).
    public var path: String { head.path }

    /// The first of `supported` that the client offered, following the client's order; `nil` if
    /// none matches (then the 101 must not name a subprotocol). Matching is exact (RFC 6455 §4.1).
    public func selectSubprotocol(from supported: [String]) -> String? {
        subprotocols.first { supported.contains($0) }
    }

    /// The `Sec-WebSocket-Accept` value for this request's key.
    public var acceptValue: String { WebSocketHandshake.acceptValue(forKey: key) }
}
