/// One thing a hosted connection's writer puts on the wire, in the order the router decided it.
public enum OutboundFrame: Sendable {
    /// A text frame: the router's UTF-8 JSON envelope.
    case text([UInt8])
    /// An empty ping frame (heartbeats).
    case ping
    /// The start of the closing handshake; the writer sends nothing after it.
    case close(code: UInt16, reason: String)
}
