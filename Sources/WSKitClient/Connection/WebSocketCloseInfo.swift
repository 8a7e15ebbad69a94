import WSKitProtocol

/// How and why a client connection ended.
public struct WebSocketCloseInfo: Sendable, Hashable, CustomStringConvertible {
    /// What ended the connection.
    public enum Cause: Sendable, Hashable {
        /// The server started the closing handshake (its code and reason are in `code`/`reason`).
        case serverClosed
        /// We started the closing handshake; `code` is the server's reply, or 1006 when it never came.
        case clientClosed
        /// The server broke RFC 6455 or a limit; we failed the connection with `code`.
        case protocolViolation(WebSocketProtocolError)
        /// The upgrade response was refused or invalid (a non-101 status, a wrong
        /// `Sec-WebSocket-Accept`, a subprotocol we did not offer…).
        case handshakeFailed(WebSocketClientHandshakeError)
        /// The upgrade response was not valid HTTP.
        case malformedResponse(HTTPParseError)
        /// The opening handshake did not complete within the connect timeout.
        case handshakeTimeout
        /// Nothing arrived within the heartbeat's interval and timeout.
        case heartbeatTimeout
        /// The TCP connection failed to open, or failed while open.
        case transport(TransportError)
        /// TCP ended without a closing handshake.
        case connectionLost
        /// `abort()` (or `close()` before the handshake completed).
        case aborted
        /// `WebSocketClient` could not prepare the attempt (its token provider threw, or the token
        /// cannot be sent as a subprotocol).
        case setupFailed(String)
    }

    /// What ended the connection.
    public var cause: Cause
    /// The close code: the server's (for a closing handshake), ours (for a protocol violation),
    /// or 1006 (`abnormalClosure`) when there was no closing handshake.
    public var code: WebSocketCloseCode
    /// The close reason, if any.
    public var reason: String
    /// Whether the opening handshake had completed.
    public var wasOpen: Bool

    /// Creates a close description.
    public init(cause: Cause, code: WebSocketCloseCode = .abnormalClosure, reason: String = "", wasOpen: Bool) {
        self.cause = cause
        self.code = code
        self.reason = reason
        self.wasOpen = wasOpen
    }

    /// The HTTP status when the server refused the upgrade (401, 403, 503…).
    public var httpStatus: HTTPStatus? {
        if case .handshakeFailed(.unexpectedStatus(let status)) = cause { return status }
        return nil
    }

    /// Whether both sides exchanged close frames.
    public var wasClean: Bool {
        switch cause {
        case .serverClosed: true
        case .clientClosed: code != .abnormalClosure
        default: false
        }
    }

    /// A one-line summary.
    public var description: String {
        let text: String
        switch cause {
        case .serverClosed: text = "closed by the server"
        case .clientClosed: text = "closed by the client"
        case .protocolViolation(let error): text = "protocol violation (\(error))"
        case .handshakeFailed(let error): text = "handshake failed: \(error)"
        case .malformedResponse(let error): text = "malformed handshake response: \(error)"
        case .handshakeTimeout: text = "handshake timed out"
        case .heartbeatTimeout: text = "heartbeat timed out"
        case .transport(let error): text = error.description
        case .connectionLost: text = "connection lost"
        case .aborted: text = "aborted"
        case .setupFailed(let why): text = "could not prepare the connection: \(why)"
        }
        return reason.isEmpty ? "\(text) [\(code)]" : "\(text) [\(code) \(reason)]"
    }
}
