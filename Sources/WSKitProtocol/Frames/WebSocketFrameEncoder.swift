/// Writes frames (RFC 6455 §5.2) into an `OutputBuffer`: a 2–14-byte header, then the payload,
/// masked in place in the buffer when a key is given.
enum WebSocketFrameEncoder {
    /// Appends one frame.
    ///
    /// - Parameters:
    ///   - opcode: the raw 4-bit opcode.
    ///   - rsv: RSV bits in their first-byte positions (only `0x70` is used).
    ///   - maskingKey: the key (big-endian value of its wire bytes) for a client frame, nil for a server frame.
    static func append(
        opcode: UInt8,
        fin: Bool,
        rsv: UInt8,
        payload: UnsafeRawBufferPointer,
        maskingKey: UInt32?,
        to output: inout OutputBuffer
    ) {
        let length = payload.count
        var header: (UInt64, UInt64) = (0, 0)
        let headerSize = withUnsafeMutableBytes(of: &header) { h -> Int in
            writeHeader(opcode: opcode, fin: fin, rsv: rsv, length: length, maskingKey: maskingKey, into: h)
        }
        // One reservation for header and payload: a bounds check and two copies.
        let destination = output.unsafeAppendPointer(count: headerSize + length)
        withUnsafeBytes(of: &header) { h in
            destination.copyMemory(from: h.baseAddress!, byteCount: headerSize)
        }
        guard length > 0 else { return }
        destination.advanced(by: headerSize).copyMemory(from: payload.baseAddress!, byteCount: length)
        if let key = maskingKey {
            _ = WebSocketMasking.apply(key: key, to: UnsafeMutableRawBufferPointer(start: destination + headerSize, count: length))
        }
    }

    /// Writes a frame header (2–14 bytes) into `h`, which has room for 14; returns its length.
    @inline(__always)
    static func writeHeader(
        opcode: UInt8, fin: Bool, rsv: UInt8, length: Int, maskingKey: UInt32?, into h: UnsafeMutableRawBufferPointer
    ) -> Int {
        h[0] = (fin ? 0x80 : 0) | (rsv & 0x70) | (opcode & 0x0F)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        var position: Int
        if length < 126 {
            h[1] = maskBit | UInt8(truncatingIfNeeded: length)
            position = 2
        } else if length <= 0xFFFF {
            h[1] = maskBit | 126
            h.storeBytes(of: UInt16(truncatingIfNeeded: length).bigEndian, toByteOffset: 2, as: UInt16.self)
            position = 4
        } else {
            h[1] = maskBit | 127
            h.storeBytes(of: UInt64(length).bigEndian, toByteOffset: 2, as: UInt64.self)
            position = 10
        }
        if let key = maskingKey {
            h.storeBytes(of: key.bigEndian, toByteOffset: position, as: UInt32.self)
            position += 4
        }
        return position
    }
}
