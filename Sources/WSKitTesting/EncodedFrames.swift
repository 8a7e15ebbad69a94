/// Decodes the unmasked server frames a fan-out hands to ``TestTransport`` (RFC 6455 §5.2, the
/// subset a server sends: FIN set, no masking, 7/16/64-bit lengths).
enum EncodedFrames {
    /// The payloads of the complete data frames in `bytes`; anything malformed yields one
    /// payload that is not JSON (recorded as an `"<invalid>"` frame).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 2 <= bytes.count, bytes[offset + 1] & 0x80 == 0 else { return payloads + [Array("<malformed frame>".utf8)] }
            let opcode = bytes[offset] & 0x0F
            var length = Int(bytes[offset + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard offset + 4 <= bytes.count else { return payloads + [Array("<malformed frame>".utf8)] }
                length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                header = 4
            } else if length == 127 {
                guard offset + 10 <= bytes.count else { return payloads + [Array("<malformed frame>".utf8)] }
                length = 0
                for index in 2 ..< 10 { length = length << 8 | Int(bytes[offset + index]) }
                header = 10
            }
            guard offset + header + length <= bytes.count else { return payloads + [Array("<malformed frame>".utf8)] }
            if opcode == 0x1 || opcode == 0x2 {
                payloads.append(Array(bytes[(offset + header) ..< (offset + header + length)]))
            }
            offset += header + length
        }
        return payloads
    }
}
