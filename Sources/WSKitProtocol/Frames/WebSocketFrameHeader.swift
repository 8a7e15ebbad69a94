/// The fields of one frame header (RFC 6455 §5.2), as decoded from the wire.
struct WebSocketFrameHeader: Sendable, Hashable {
    /// Whether this is the final frame of a message.
    var fin: Bool
    /// RSV1–RSV3 in their first-byte positions (`0x70` mask).
    var rsv: UInt8
    /// The raw 4-bit opcode.
    var opcode: UInt8
    /// The 7-bit length field: the length itself, or 126 / 127 for a 16- / 64-bit extended length.
    var lengthField: UInt8
    /// The payload length.
    var payloadLength: UInt64
    /// The masking key (big-endian value of the wire bytes), or nil for an unmasked frame.
    var maskingKey: UInt32?

    /// The header size implied by the second header byte: 2, plus 2 or 8 for an extended length,
    /// plus 4 for a masking key.
    static func size(secondByte: UInt8) -> Int {
        var size = 2
        switch secondByte & 0x7F {
        case 126: size += 2
        case 127: size += 8
        default: break
        }
        if secondByte & 0x80 != 0 { size += 4 }
        return size
    }

    /// Decodes a header from `bytes`, which must hold at least `size(secondByte: bytes[1])` bytes.
    init(decoding bytes: UnsafeRawPointer) {
        let b0 = bytes.load(as: UInt8.self)
        let b1 = bytes.load(fromByteOffset: 1, as: UInt8.self)
        fin = b0 & 0x80 != 0
        rsv = b0 & 0x70
        opcode = b0 & 0x0F
        lengthField = b1 & 0x7F
        var position = 2
        switch lengthField {
        case 126:
            payloadLength = UInt64(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            position = 4
        case 127:
            payloadLength = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            position = 10
        default:
            payloadLength = UInt64(lengthField)
        }
        maskingKey = b1 & 0x80 != 0
            ? UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
            : nil
    }
}
