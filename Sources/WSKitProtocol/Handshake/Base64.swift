/// Base64 with the standard alphabet and padding (RFC 4648 §4).
///
/// Encoding always pads. Decoding is strict, as `Sec-WebSocket-Key` and `Sec-WebSocket-Accept`
/// need: the length must be a multiple of four, `=` may appear only as the final one or two
/// characters, no whitespace or characters outside the alphabet, and the unused bits of the last
/// character must be zero (RFC 4648 §3.5), so every byte string has exactly one accepted encoding.
public enum Base64 {
    /// The encoded length of `byteCount` bytes.
    @inlinable
    public static func encodedLength(of byteCount: Int) -> Int { ((byteCount &+ 2) / 3) &* 4 }

    /// Encodes bytes.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// Encodes raw bytes.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = encodedLength(of: bytes.count)
        if length == 0 { return "" }
        return String(unsafeUninitializedCapacity: length) { output in
            encode(bytes, into: UnsafeMutableRawBufferPointer(output))
        }
    }

    /// Writes the encoding of `bytes` to the start of `output` and returns its length.
    /// `output` must hold at least `encodedLength(of: bytes.count)` bytes.
    @discardableResult
    static func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let length = encodedLength(of: bytes.count)
        precondition(output.count >= length)
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = UnsafeRawBufferPointer(start: alphabet.utf8Start, count: 64)
        var i = 0, o = 0
        let count = bytes.count
        while i &+ 3 <= count {
            let chunk = UInt32(bytes[i]) << 16 | UInt32(bytes[i &+ 1]) << 8 | UInt32(bytes[i &+ 2])
            output[o] = table[Int(chunk >> 18)]
            output[o &+ 1] = table[Int((chunk >> 12) & 63)]
            output[o &+ 2] = table[Int((chunk >> 6) & 63)]
            output[o &+ 3] = table[Int(chunk & 63)]
            i &+= 3
            o &+= 4
        }
        let rest = count &- i
        if rest > 0 {
            let chunk = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i &+ 1]) << 8 : 0)
            output[o] = table[Int(chunk >> 18)]
            output[o &+ 1] = table[Int((chunk >> 12) & 63)]
            output[o &+ 2] = rest == 2 ? table[Int((chunk >> 6) & 63)] : UInt8(ascii: "=")
            output[o &+ 3] = UInt8(ascii: "=")
        }
        return length
    }

    /// Decodes a padded base64 string, or returns `nil` if it is not a canonical encoding.
    public static func decode(_ string: String) -> [UInt8]? {
        var string = string
        return string.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes padded base64 text, or returns `nil` if it is not a canonical encoding.
    public static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        let count = text.count
        if count == 0 { return [] }
        guard count & 3 == 0 else { return nil }
        var padding = 0
        if text[count &- 1] == UInt8(ascii: "=") {
            padding = text[count &- 2] == UInt8(ascii: "=") ? 2 : 1
        }
        let decodedCount = count / 4 * 3 &- padding
        var failed = false
        let result = [UInt8](unsafeUninitializedCapacity: decodedCount) { output, initialized in
            var i = 0, o = 0
            while i < count {
                let lastQuad = i &+ 4 == count
                let significant = lastQuad ? 4 &- padding : 4
                var chunk: UInt32 = 0
                for j in 0 ..< 4 {
                    chunk <<= 6
                    guard j < significant else { continue }
                    let value = sextet(text[i &+ j])
                    if value > 63 { failed = true; return }
                    chunk |= UInt32(value)
                }
                output[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                if significant > 2 { output[o &+ 1] = UInt8(truncatingIfNeeded: chunk >> 8) }
                if significant > 3 { output[o &+ 2] = UInt8(truncatingIfNeeded: chunk) }
                if lastQuad {
                    // Non-zero bits below the last decoded byte make the encoding non-canonical.
                    let unused: UInt32 = significant == 2 ? 0xFFFF : significant == 3 ? 0xFF : 0
                    if chunk & unused != 0 { failed = true; return }
                }
                o &+= significant &- 1
                i &+= 4
            }
            initialized = decodedCount
        }
        return failed ? nil : result
    }

    /// The 6-bit value of an alphabet character, or 255.
    @inline(__always)
    private static func sextet(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"): return byte &- 65
        case UInt8(ascii: "a") ... UInt8(ascii: "z"): return byte &- 71
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte &+ 4
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return 255
        }
    }
}
