import WSKitProtocol

/// A message ready for fan-out: its WebSocket frame, encoded once and shared (read-only) by every
/// subscriber on every loop.
final class PreparedMessage: Sendable {
    /// The complete unmasked frame.
    let frame: OutputBuffer
    /// Where the body starts in ``frame``.
    let headerLength: Int
    /// Text or binary.
    let kind: PubSubMessage.Kind

    init(_ message: PubSubMessage) {
        var output = OutputBuffer(capacity: message.body.count + 14)
        message.body.withUnsafeBytes { body in
            WebSocketEngine.encodeFrame(message.kind == .binary ? .binary : .text, body, into: &output)
        }
        frame = output
        headerLength = output.count - message.body.count
        kind = message.kind
    }

    /// The frame's bytes.
    @inline(__always)
    func withFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try frame.withUnsafeReadableBytes(body)
    }

    /// The body alone (for hosts that take serialised text).
    func withBody<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try frame.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0[headerLength...])) }
    }
}
