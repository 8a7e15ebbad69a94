import WSKitProtocol

/// One WebSocket connection in the client role: the socket, the opening handshake (with
/// `Sec-WebSocket-Accept` and subprotocol validation), masking with a fresh key per frame, ping/pong,
/// heartbeat and the closing handshake. No reconnection, no message types: `WebSocketClient`
/// builds those on top.
///
/// Events are reported in order on the connection's I/O thread; the callback must not block (hand
/// long work to a task). Sends are thread-safe and cheap: they queue the message and wake the I/O
/// thread, which writes everything queued since its last wake-up at once. Sends made from inside
/// the callback go out with the next write of that same I/O iteration.
///
/// ```swift
/// let connection = try WebSocketClientConnection(url: WebSocketURL("ws://127.0.0.1:9001/")) { event in
///     if case .text(let text) = event { print(text) }
/// }
/// connection.start()
/// connection.send(text: "hello")
/// ```
public final class WebSocketClientConnection: Sendable {
    /// The URL connected to.
    public let url: WebSocketURL
    private let driver: ConnectionDriver
    private let started = Locked(false)

    /// Creates a connection; nothing happens until `start()`.
    ///
    /// - Throws: `WebSocketConnectionError.invalidSubprotocol` when an offered subprotocol is not
    ///   an HTTP token.
    public init(
        url: WebSocketURL,
        options: WebSocketConnectionOptions = WebSocketConnectionOptions(),
        onEvent: @escaping @Sendable (WebSocketConnectionEvent) -> Void
    ) throws(WebSocketConnectionError) {
        for name in options.subprotocols where !HTTPToken.isToken(name) {
            throw .invalidSubprotocol(name)
        }
        self.url = url
        let handshake = WebSocketClientHandshake(
            host: url.hostHeader, target: url.requestTarget, subprotocols: options.subprotocols,
            extensions: options.compression.map { [PerMessageDeflate.offer($0)] } ?? [],
            origin: options.origin, extraHeaders: options.headers)
        driver = ConnectionDriver(handshake: handshake, options: options, onEvent: onEvent)
    }

    /// Connects and performs the opening handshake in the background; the outcome arrives as
    /// `.open` or `.closed`. Calling it again has no effect.
    public func start() {
        let first = started.withLock { started -> Bool in
            defer { started = true }
            return !started
        }
        if first { driver.start(endpoint: url.endpoint) }
    }

    /// Queues a text message; false once the connection is closing or closed. Messages queued
    /// before the handshake completes are sent right after it.
    @discardableResult
    public func send(text: String) -> Bool {
        driver.enqueue(.text(Array(text.utf8)))
    }

    /// Queues a text message given as UTF-8 bytes (which must be valid UTF-8).
    @discardableResult
    public func send(utf8Text bytes: [UInt8]) -> Bool {
        driver.enqueue(.text(bytes))
    }

    /// Queues a binary message; false once the connection is closing or closed.
    @discardableResult
    public func send(binary: [UInt8]) -> Bool {
        driver.enqueue(.binary(binary))
    }

    /// Queues a ping (at most 125 bytes; longer payloads are not sent).
    @discardableResult
    public func ping(_ payload: [UInt8] = []) -> Bool {
        guard payload.count <= 125 else { return false }
        return driver.enqueue(.ping(payload))
    }

    /// Queues an unsolicited pong (a one-way heartbeat, at most 125 bytes).
    @discardableResult
    public func pong(_ payload: [UInt8] = []) -> Bool {
        guard payload.count <= 125 else { return false }
        return driver.enqueue(.pong(payload))
    }

    /// Starts the closing handshake after the messages already queued; later sends are refused.
    /// Before the opening handshake completes, drops the connection instead. The `.closed` event
    /// follows when the server has answered (or `limits.closeTimeout` passed).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        driver.enqueue(.close(code, reason))
    }

    /// Drops the TCP connection at once, without a closing handshake.
    public func abort() {
        driver.abort()
    }
}

/// Why a `WebSocketClientConnection` cannot be created.
public enum WebSocketConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A subprotocol is not an HTTP token (RFC 9110 §5.6.2).
    case invalidSubprotocol(String)

    /// A short English explanation.
    public var description: String {
        switch self {
        case .invalidSubprotocol(let name): "subprotocol \"\(name)\" is not an HTTP token"
        }
    }
}
