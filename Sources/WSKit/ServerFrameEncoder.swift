import WSKitProtocol
import WSKitRouter

/// The router's ``FrameEncoder`` port implemented by the protocol core: RFC 6455 server frames
/// (unmasked, final), as `WebSocketEngine` writes them. What ``ServerTransport`` supplies to
/// fan-out; other hosts built on `WSKitProtocol` (and tests) can use it too.
public struct ServerFrameEncoder: FrameEncoder {
    /// The encoder (stateless).
    public init() {}

    /// Writes the header with `WebSocketEngine.encodeFrameHeader`.
    @inlinable
    public func writeFrameHeader(binary: Bool, payloadLength: Int, into header: UnsafeMutableRawBufferPointer) -> Int {
        WebSocketEngine.encodeFrameHeader(binary ? .binary : .text, payloadLength: payloadLength, into: header)
    }
}
