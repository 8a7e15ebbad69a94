import WSKitContract
import WSKitRouter

/// A `$ws:presence_diff` ready for fan-out: the envelope serialised once and framed once with
/// the host's ``FrameEncoder``, in one allocation shared by every subscriber of the room.
final class PresenceFrame {
    private let storage: UnsafeMutableRawBufferPointer

    /// `{"type":"$ws:presence_diff","meta":{"topic":…,"timestamp":…},"payload":<diff>}` as one
    /// unmasked text frame.
    init(room: String, diff: [UInt8], timestamp: Int64, encoder: any FrameEncoder) {
        var body: [UInt8] = []
        body.reserveCapacity(diff.count + room.utf8.count + 80)
        Envelope.writeOutboundHead(
            type: PresenceWire.diff, correlationId: nil, timestamp: timestamp,
            extraMeta: [PresenceWire.topicKey: .string(room)], into: &body)
        body.append(contentsOf: PresenceHub.payloadMember)
        body.append(contentsOf: diff)
        body.append(UInt8(ascii: "}"))
        let room = type(of: encoder).maxHeaderLength
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: room + body.count, alignment: 8)
        let header = encoder.writeFrameHeader(
            binary: false, payloadLength: body.count, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<room]))
        body.withUnsafeBytes { bytes in
            (buffer.baseAddress! + header).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        storage = UnsafeMutableRawBufferPointer(rebasing: buffer[..<(header + body.count)])
    }

    deinit {
        storage.deallocate()
    }

    /// The frame's bytes (valid during the call).
    func withFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(storage))
    }
}
