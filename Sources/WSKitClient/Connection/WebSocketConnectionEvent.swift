import WSKitProtocol

/// What a `WebSocketClientConnection` reports, in order, on its I/O thread.
public enum WebSocketConnectionEvent: Sendable {
    /// The opening handshake succeeded (selected subprotocol, response headers).
    case open(WebSocketClientHandshake.Accepted)
    /// A complete text message (valid UTF-8).
    case text(String)
    /// A complete binary message.
    case binary([UInt8])
    /// A ping arrived; the pong is already on its way.
    case ping([UInt8])
    /// A pong arrived.
    case pong([UInt8])
    /// The connection ended (or never opened); always the last event.
    case closed(WebSocketCloseInfo)
}
