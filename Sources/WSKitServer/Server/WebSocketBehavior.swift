import WSKitProtocol

/// A complete inbound message, borrowed from the loop's read buffer or the engine's assembly
/// buffer: valid only during the `message` callback. Copy it (`string`, `copyBytes()`) to keep it.
public enum WebSocketMessage {
    /// A text message; its bytes are valid UTF-8.
    case text(UnsafeRawBufferPointer)
    /// A binary message.
    case binary(UnsafeRawBufferPointer)

    /// The message's bytes (borrowed).
    @inlinable public var bytes: UnsafeRawBufferPointer {
        switch self {
        case let .text(bytes), let .binary(bytes): bytes
        }
    }

    /// Whether this is a text message.
    @inlinable public var isText: Bool {
        if case .text = self { return true }
        return false
    }

    /// The bytes decoded as UTF-8 (a copy).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// A copy of the bytes.
    public func copyBytes() -> [UInt8] { Array(bytes) }
}

/// The result of `WebSocket.send`: uWebSockets-style explicit backpressure.
public enum SendStatus: Sendable, Hashable {
    /// Queued and will be written in this loop iteration's corked write; no backlog.
    case sent
    /// Queued behind bytes the socket has not accepted yet; `drain` fires once the backlog is written.
    /// A send from a thread other than the connection's loop also reports `.buffered`.
    case buffered
    /// Not queued: the connection is closing or closed, or the message would exceed
    /// `maxBufferedBytes` (with `BackpressurePolicy.close` the connection is now closing).
    case dropped
}

/// What the upgrade hook decided.
public enum UpgradeDecision<Context> {
    /// Upgrade, with the connection's data. `subprotocol` overrides the server's selection
    /// (it must be one the client offered); `headers` are added to the 101 response.
    case accept(Context, subprotocol: String? = nil, headers: HTTPHeaders = HTTPHeaders())
    /// Answer with this response (401, 403, 429, …) and close.
    case refuse(HTTPResponse)
}

/// What the upgrade hook sees: the request, the peer, and the handshake's parsed offers.
public struct IncomingUpgrade: Sendable {
    /// The parsed request head (method, path, query, headers).
    public let head: HTTPRequestHead
    /// The validated WebSocket handshake (key, offered subprotocols and extensions, origin).
    public let handshake: UpgradeRequest
    /// The peer's IP address as text.
    public let remoteAddress: String
    /// The subprotocol the server's configuration selected from the client's offer, if any.
    public let selectedSubprotocol: String?

    /// The request path without the query.
    public var path: String { head.path }
    /// A header's first value (case-insensitive name).
    public func header(_ name: String) -> String? { head.headers[name] }

    /// Describes an upgrade request that another host (Vapor, Hummingbird, a test) received, so
    /// that the same upgrade hook serves every host.
    public init(head: HTTPRequestHead, handshake: UpgradeRequest, remoteAddress: String, selectedSubprotocol: String? = nil) {
        self.head = head
        self.handshake = handshake
        self.remoteAddress = remoteAddress
        self.selectedSubprotocol = selectedSubprotocol
    }
}

/// A plain HTTP request (not an upgrade) that reached the server.
public struct PlainHTTPRequest: Sendable {
    /// The parsed request head.
    public let head: HTTPRequestHead
    /// The peer's IP address as text.
    public let remoteAddress: String
}

/// The application's callbacks. All of them run on the connection's event-loop thread, one at a
/// time per loop; they must not block (hand long work to a task or another thread).
public struct WebSocketBehavior<Context>: Sendable {
    /// Decides whether to upgrade and creates the connection's data. Default: accept with `initial`.
    public var upgrade: @Sendable (IncomingUpgrade) -> UpgradeDecision<Context>
    /// The connection is open (the 101 response is queued).
    public var open: @Sendable (WebSocket<Context>) -> Void
    /// A complete message arrived. The payload is borrowed: copy what you keep.
    public var message: @Sendable (WebSocket<Context>, WebSocketMessage) -> Void
    /// A ping arrived (the pong is already queued).
    public var ping: @Sendable (WebSocket<Context>, UnsafeRawBufferPointer) -> Void
    /// A pong arrived.
    public var pong: @Sendable (WebSocket<Context>, UnsafeRawBufferPointer) -> Void
    /// The connection's backlog was fully written after a send reported `.buffered`.
    public var drain: @Sendable (WebSocket<Context>) -> Void
    /// The connection ended: called exactly once per opened connection, with the peer's close
    /// code, or 1006 when the TCP connection ended without a close handshake.
    public var close: @Sendable (WebSocket<Context>, WebSocketCloseCode, String) -> Void
    /// Answers requests that are not WebSocket upgrades. Default: 404.
    public var http: @Sendable (PlainHTTPRequest) -> HTTPResponse

    /// Creates a behavior; only `upgrade` (or `initial` data) and `message` are usually needed.
    public init(
        upgrade: @escaping @Sendable (IncomingUpgrade) -> UpgradeDecision<Context>,
        open: @escaping @Sendable (WebSocket<Context>) -> Void = { _ in },
        message: @escaping @Sendable (WebSocket<Context>, WebSocketMessage) -> Void = { _, _ in },
        ping: @escaping @Sendable (WebSocket<Context>, UnsafeRawBufferPointer) -> Void = { _, _ in },
        pong: @escaping @Sendable (WebSocket<Context>, UnsafeRawBufferPointer) -> Void = { _, _ in },
        drain: @escaping @Sendable (WebSocket<Context>) -> Void = { _ in },
        close: @escaping @Sendable (WebSocket<Context>, WebSocketCloseCode, String) -> Void = { _, _, _ in },
        http: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() }
    ) {
        self.upgrade = upgrade
        self.open = open
        self.message = message
        self.ping = ping
        self.pong = pong
        self.drain = drain
        self.close = close
        self.http = http
    }
}

extension WebSocketBehavior where Context: Sendable {
    /// A behavior that accepts every upgrade with the same initial connection data.
    public init(
        initial: Context,
        open: @escaping @Sendable (WebSocket<Context>) -> Void = { _ in },
        message: @escaping @Sendable (WebSocket<Context>, WebSocketMessage) -> Void,
        drain: @escaping @Sendable (WebSocket<Context>) -> Void = { _ in },
        close: @escaping @Sendable (WebSocket<Context>, WebSocketCloseCode, String) -> Void = { _, _, _ in },
        http: @escaping @Sendable (PlainHTTPRequest) -> HTTPResponse = { _ in .notFound() }
    ) {
        self.init(upgrade: { _ in .accept(initial) }, open: open, message: message, drain: drain, close: close, http: http)
    }
}
