/// How a host writes WebSocket frames, for plugins that encode a message **once** and hand the
/// same bytes to many connections through ``EncodedFrameTransport/sendEncodedFrames(_:)``
/// (pub/sub fan-out). The router and its plugins know no wire format: the host, which owns the
/// WebSocket protocol, supplies it through its transport (``EncodedFrameTransport/frameEncoder``).
public protocol FrameEncoder: Sendable {
    /// Writes the header of one complete (final), unmasked, server-to-client frame — a text
    /// message, or a binary one when `binary` — whose `payloadLength` bytes the caller places
    /// right after it. `header` has room for ``maxHeaderLength`` bytes; returns the header's
    /// length.
    func writeFrameHeader(binary: Bool, payloadLength: Int, into header: UnsafeMutableRawBufferPointer) -> Int
}

extension FrameEncoder {
    /// The room ``writeFrameHeader(binary:payloadLength:into:)`` gets: enough for any unmasked
    /// RFC 6455 header (at most 10 bytes).
    public static var maxHeaderLength: Int { 16 }
}
