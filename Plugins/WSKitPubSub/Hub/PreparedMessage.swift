import WSKitRouter

/// A message ready for fan-out: its WebSocket frame, encoded once (with the host's
/// ``FrameEncoder``) and shared (read-only) by every subscriber on every loop.
final class PreparedMessage: Sendable {
    /// The complete unmasked frame, or the body alone when no subscriber's host takes encoded
    /// frames (then ``headerLength`` is 0).
    let frame: [UInt8]
    /// Where the body starts in ``frame``.
    let headerLength: Int
    /// Text or binary.
    let kind: PubSubMessage.Kind

    /// Encodes `message` with `encoder` (one allocation: header and body together); without an
    /// encoder keeps only the body.
    init(_ message: PubSubMessage, encoder: (any FrameEncoder)?) {
        kind = message.kind
        guard let encoder else {
            frame = message.body
            headerLength = 0
            return
        }
        let binary = message.kind == .binary
        let bodyCount = message.body.count
        let room = type(of: encoder).maxHeaderLength
        var header = 0
        frame = message.body.withUnsafeBytes { body in
            [UInt8](unsafeUninitializedCapacity: room + bodyCount) { storage, initialized in
                let raw = UnsafeMutableRawBufferPointer(storage)
                header = encoder.writeFrameHeader(
                    binary: binary, payloadLength: bodyCount, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<room]))
                if bodyCount > 0 { (raw.baseAddress! + header).copyMemory(from: body.baseAddress!, byteCount: bodyCount) }
                initialized = header + bodyCount
            }
        }
        headerLength = header
    }

    /// The frame's bytes.
    @inline(__always)
    func withFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try frame.withUnsafeBytes(body)
    }

    /// The body alone (for hosts that take serialised text).
    func withBody<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try frame.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[headerLength...])) }
    }
}
