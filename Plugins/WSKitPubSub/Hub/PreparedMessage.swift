import WSKitRouter

/// A message ready for fan-out: its WebSocket frame, encoded once (with the host's
/// ``FrameEncoder``) and shared (read-only) by every subscriber on every loop.
///
/// The frame lives in one allocation this object owns (no array: fan-out reads it through a raw
/// pointer, with no generic buffer code per publish or per subscriber).
package final class PreparedMessage: @unchecked Sendable {
    /// The complete unmasked frame, or the body alone when no subscriber's host takes encoded
    /// frames (then ``headerLength`` is 0). Immutable after `init`.
    private let storage: UnsafeMutableRawBufferPointer
    /// Where the body starts in the frame.
    let headerLength: Int
    /// Text or binary.
    let kind: PubSubMessage.Kind

    /// Encodes `message` with `encoder` (header and body in one allocation); without an encoder
    /// keeps only the body.
    package init(_ message: PubSubMessage, encoder: (any FrameEncoder)?) {
        kind = message.kind
        let bodyCount = message.body.count
        let room = encoder.map { type(of: $0).maxHeaderLength } ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: room + bodyCount, alignment: 8)
        let header = encoder?.writeFrameHeader(
            binary: message.kind == .binary, payloadLength: bodyCount,
            into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<room])) ?? 0
        message.body.withUnsafeBytes { body in
            if bodyCount > 0 { (buffer.baseAddress! + header).copyMemory(from: body.baseAddress!, byteCount: bodyCount) }
        }
        storage = UnsafeMutableRawBufferPointer(rebasing: buffer[..<(header + bodyCount)])
        headerLength = header
    }

    deinit {
        storage.deallocate()
    }

    /// The frame's bytes.
    @inline(__always)
    func withFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// The body alone (for hosts that take serialised text).
    func withBody<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[headerLength...]))
    }
}
