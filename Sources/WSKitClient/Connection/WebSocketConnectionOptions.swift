import WSKitProtocol

/// Options of one client connection (`WebSocketClientConnection`).
public struct WebSocketConnectionOptions: Sendable {
    /// Subprotocols offered in `Sec-WebSocket-Protocol`, in order of preference (tokens).
    public var subprotocols: [String]
    /// Extra header fields of the upgrade request (for example `Authorization`, `Cookie`).
    public var headers: HTTPHeaders
    /// The `Origin` field, if any.
    public var origin: String?
    /// Limits on what the server sends (frame and message sizes, fragments) and the time allowed
    /// for the server's reply to our close frame.
    public var limits: WebSocketLimits
    /// The longest the name lookup, TCP connect and opening handshake may take together.
    public var connectTimeout: Duration
    /// Dead-server detection; nil disables it.
    public var heartbeat: Heartbeat?
    /// After the closing handshake, how long to wait for the server to close TCP before closing
    /// it ourselves (RFC 6455 §7.1.1: the server closes first).
    public var closeLinger: Duration
    /// The byte-stream provider (`POSIXTransport` by default; a TLS transport for `wss://`).
    public var transport: any ClientTransport
    /// The masking-key source; nil uses the system random generator (RFC 6455 §5.3). Inject a
    /// fixed sequence only in tests.
    public var maskingKey: (@Sendable () -> UInt32)?
    /// permessage-deflate (RFC 7692): offered by default (`PerMessageDeflateOptions.client`, as
    /// browsers do); nil offers no compression. An invalid answer from the server fails the
    /// connection.
    public var compression: PerMessageDeflateOptions? = .client

    /// Creates options; every parameter has a default.
    public init(
        subprotocols: [String] = [],
        headers: HTTPHeaders = HTTPHeaders(),
        origin: String? = nil,
        limits: WebSocketLimits = .default,
        connectTimeout: Duration = .seconds(10),
        heartbeat: Heartbeat? = Heartbeat(),
        closeLinger: Duration = .seconds(1),
        transport: any ClientTransport = POSIXTransport(),
        maskingKey: (@Sendable () -> UInt32)? = nil
    ) {
        self.subprotocols = subprotocols
        self.headers = headers
        self.origin = origin
        self.limits = limits
        self.connectTimeout = connectTimeout
        self.heartbeat = heartbeat
        self.closeLinger = closeLinger
        self.transport = transport
        self.maskingKey = maskingKey
    }
}
