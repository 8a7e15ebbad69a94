/// A violation of RFC 6455 or of a configured limit by the peer.
///
/// The engine reports it as `WebSocketEvent.failure`, after appending a close frame carrying
/// `closeCode` (and `reason`) to the output.
public struct WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The close code sent to the peer: 1002 (protocol error), 1007 (invalid payload data) or
    /// 1009 (message too big) for the engine's own checks; extensions may use others.
    public var closeCode: WebSocketCloseCode
    /// A short human-readable explanation, also sent as the close reason.
    public var reason: String

    /// Creates an error.
    public init(closeCode: WebSocketCloseCode, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    /// The code and the reason, for logs.
    public var description: String { "\(closeCode.rawValue): \(reason)" }
}
