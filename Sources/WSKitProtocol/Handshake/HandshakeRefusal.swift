/// Why `WebSocketHandshake.validateUpgrade` refused a request, with the response to send before
/// closing the connection.
public struct HandshakeRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule of RFC 6455 §4.2.1 the request broke.
    public enum Reason: Sendable, Hashable {
        /// The method is not `GET` (405, `Allow: GET`).
        case methodNotGet
        /// The version is older than HTTP/1.1 (400).
        case httpVersionTooOld
        /// No `Host` field (400).
        case missingHost
        /// `Upgrade` does not list `websocket` (400).
        case missingUpgradeWebSocket
        /// `Connection` does not list `Upgrade` (400).
        case missingConnectionUpgrade
        /// `Sec-WebSocket-Version` is missing or not 13 (426 with `Sec-WebSocket-Version: 13`).
        case unsupportedWebSocketVersion
        /// More than one `Sec-WebSocket-Version` field (400).
        case duplicateWebSocketVersion
        /// No `Sec-WebSocket-Key` field (400).
        case missingKey
        /// `Sec-WebSocket-Key` is repeated or is not the base64 encoding of 16 bytes (400).
        case invalidKey
        /// The request declares a body (`Content-Length` other than 0, or `Transfer-Encoding`) (400).
        case unexpectedBody
        /// `Sec-WebSocket-Protocol` holds something other than a list of tokens (400).
        case malformedSubprotocols
        /// `Sec-WebSocket-Extensions` does not follow RFC 6455 §9.1 (400).
        case malformedExtensions
    }

    /// The broken rule.
    public var reason: Reason
    /// The response to write before closing.
    public var response: HTTPResponse

    /// Creates a refusal.
    public init(reason: Reason, response: HTTPResponse) {
        self.reason = reason
        self.response = response
    }

    /// Creates a refusal with the standard response for `reason`.
    public init(_ reason: Reason) {
        self.reason = reason
        switch reason {
        case .methodNotGet: response = .methodNotAllowed(allowed: ["GET"], "WebSocket upgrade requires GET")
        case .httpVersionTooOld: response = .badRequest("WebSocket upgrade requires HTTP/1.1")
        case .missingHost: response = .badRequest("Missing Host")
        case .missingUpgradeWebSocket: response = .badRequest("Upgrade must be websocket")
        case .missingConnectionUpgrade: response = .badRequest("Connection must include Upgrade")
        case .unsupportedWebSocketVersion: response = .upgradeRequired()
        case .duplicateWebSocketVersion: response = .badRequest("Repeated Sec-WebSocket-Version")
        case .missingKey: response = .badRequest("Missing Sec-WebSocket-Key")
        case .invalidKey: response = .badRequest("Invalid Sec-WebSocket-Key")
        case .unexpectedBody: response = .badRequest("WebSocket upgrade must not have a body")
        case .malformedSubprotocols: response = .badRequest("Malformed Sec-WebSocket-Protocol")
        case .malformedExtensions: response = .badRequest("Malformed Sec-WebSocket-Extensions")
        }
    }

    /// The status of the response.
    public var status: HTTPStatus { response.status }

    /// The status and reason, for logs.
    public var description: String { "\(status): \(reason)" }
}
