#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level HTTP/1.1 grammar helpers shared by the head parsers and header-value parsers
/// (RFC 9110 §5.6, RFC 9112 §2–5). Internal: nothing here allocates.
enum HTTPSyntax {
    /// Bits 0–63 of the `tchar` set (RFC 9110 §5.6.2): `!#$%&'*+-.` and digits.
    static var tokenMaskLow: UInt64 { 0x03FF_6CFA_0000_0000 }
    /// Bits 64–127 of the `tchar` set: letters and `^_`|~`.
    static var tokenMaskHigh: UInt64 { 0x57FF_FFFF_C7FF_FFFE }

    static var cr: UInt8 { 0x0D }
    static var lf: UInt8 { 0x0A }
    static var space: UInt8 { 0x20 }
    static var tab: UInt8 { 0x09 }
    static var colon: UInt8 { 0x3A }

    /// Whether `byte` is a `tchar`.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if byte < 64 { return (tokenMaskLow >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (tokenMaskHigh >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// Whether `byte` may appear in a field value: HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5).
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    /// Whether `byte` is optional whitespace (SP or HTAB).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// Whether every byte of `bytes` is a `tchar` and there is at least one.
    static func isToken(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.isEmpty { return false }
        for byte in bytes where !isTokenByte(byte) { return false }
        return true
    }

    /// Whether `string` is a non-empty token.
    static func isToken(_ string: String) -> Bool {
        let utf8 = string.utf8
        if utf8.isEmpty { return false }
        for byte in utf8 where !isTokenByte(byte) { return false }
        return true
    }

    /// The index of the first `byte` in `bytes[from..<to]`, or `nil` (memchr).
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), to &- from) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        (byte &- 0x41) < 26 ? byte | 0x20 : byte
    }

    /// ASCII case-insensitive equality of two UTF-8 sequences.
    static func equalsIgnoringASCIICase<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var j = b.startIndex
        for x in a {
            let y = b[j]
            if x != y {
                // Fold only letters: 'A'...'Z' and 'a'...'z' differ by 0x20.
                guard x | 0x20 == y | 0x20, (x | 0x20) &- 0x61 < 26 else { return false }
            }
            j = b.index(after: j)
        }
        return true
    }

    /// `bytes[from..<to]` without leading and trailing SP/HTAB.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Range<Int> {
        var lower = from, upper = to
        while lower < upper, isWhitespace(bytes[lower]) { lower &+= 1 }
        while upper > lower, isWhitespace(bytes[upper &- 1]) { upper &-= 1 }
        return lower ..< upper
    }

    /// A `String` decoded from `bytes[range]` (invalid UTF-8 becomes U+FFFD).
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
