/// Why a client failed the WebSocket connection after reading the server's handshake response
/// (RFC 6455 §4.1, "the client MUST _Fail the WebSocket Connection_").
public enum WebSocketClientHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status is not 101 (the server refused, redirected or is not a WebSocket endpoint).
    case unexpectedStatus(HTTPStatus)
    /// `Upgrade` is missing or is not `websocket`.
    case invalidUpgradeHeader
    /// `Connection` is missing or does not list `Upgrade`.
    case invalidConnectionHeader
    /// `Sec-WebSocket-Accept` is missing.
    case missingAccept
    /// `Sec-WebSocket-Accept` does not match the key sent; carries the value received.
    case wrongAccept(String)
    /// `Sec-WebSocket-Protocol` is not exactly one token.
    case malformedSubprotocol
    /// The server selected a subprotocol the client did not offer.
    case subprotocolNotOffered(String)
    /// `Sec-WebSocket-Extensions` does not follow RFC 6455 §9.1.
    case malformedExtensions
    /// The server accepted an extension the client did not offer (or accepted one twice).
    case extensionNotOffered(String)
    /// The server accepted an offered extension with parameters that are invalid or do not fit
    /// the offer (for permessage-deflate, RFC 7692 §7.1); carries an explanation.
    case invalidExtensionResponse(String)

    /// A short English explanation.
    public var description: String {
        switch self {
        case .unexpectedStatus(let status): return "The server answered \(status) instead of 101"
        case .invalidUpgradeHeader: return "Upgrade is missing or not websocket"
        case .invalidConnectionHeader: return "Connection is missing or does not list Upgrade"
        case .missingAccept: return "Sec-WebSocket-Accept is missing"
        case .wrongAccept(let value): return "Sec-WebSocket-Accept \(value) does not match the key"
        case .malformedSubprotocol: return "Sec-WebSocket-Protocol is not a single token"
        case .subprotocolNotOffered(let name): return "The server selected subprotocol \(name), which was not offered"
        case .malformedExtensions: return "Malformed Sec-WebSocket-Extensions"
        case .extensionNotOffered(let name): return "The server accepted extension \(name), which was not offered"
        case .invalidExtensionResponse(let why): return "Invalid extension response: \(why)"
        }
    }
}
