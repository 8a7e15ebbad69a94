/// Which end of a connection an engine plays: it decides the masking rules (RFC 6455 §5.1, §5.3).
public enum WebSocketRole: Sendable, Hashable {
    /// Accepts masked frames only, and sends unmasked frames.
    case server
    /// Accepts unmasked frames only, and masks every frame with a fresh random key.
    case client
}
