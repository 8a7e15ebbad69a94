import WSKitRouter

/// The harness's ``FrameEncoder``: RFC 6455 §5.2 server frame headers (final, unmasked), so that
/// fan-out hands test connections real frames, which ``EncodedFrames`` decodes as a client would.
/// (The harness does not depend on the protocol core; `ServerFrameEncoder` in `WSKit` is the
/// server's, and a test checks they agree.)
public struct HarnessFrameEncoder: FrameEncoder {
    /// The encoder (stateless).
    public init() {}

    /// A 2-, 4- or 10-byte header: FIN and the text (1) or binary (2) opcode, then the length.
    public func writeFrameHeader(binary: Bool, payloadLength: Int, into header: UnsafeMutableRawBufferPointer) -> Int {
        header[0] = 0x80 | (binary ? 0x2 : 0x1)
        if payloadLength < 126 {
            header[1] = UInt8(payloadLength)
            return 2
        }
        if payloadLength <= 0xFFFF {
            header[1] = 126
            header.storeBytes(of: UInt16(payloadLength).bigEndian, toByteOffset: 2, as: UInt16.self)
            return 4
        }
        header[1] = 127
        header.storeBytes(of: UInt64(payloadLength).bigEndian, toByteOffset: 2, as: UInt64.self)
        return 10
    }
}
