/// Parsers for the comma-separated list values of the WebSocket header fields (RFC 9110 §5.6.1,
/// RFC 6455 §4.3, §9.1). A recipient ignores empty list elements; anything else malformed fails.
enum HTTPListSyntax {
    /// A byte cursor over one field value.
    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var isAtEnd: Bool { index >= bytes.count }
        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count, HTTPSyntax.isWhitespace(bytes[index]) { index &+= 1 }
        }

        /// Consumes `byte` if it is next.
        mutating func consume(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index &+= 1
            return true
        }

        /// Consumes a token, or returns `nil` if none is next.
        mutating func token() -> String? {
            let start = index
            while index < bytes.count, HTTPSyntax.isTokenByte(bytes[index]) { index &+= 1 }
            return index > start ? HTTPSyntax.string(bytes, start ..< index) : nil
        }

        /// Consumes a quoted-string and returns it unescaped, or `nil` if malformed (RFC 9110 §5.6.4).
        mutating func quotedString() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            var output: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index &+= 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: output, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count, HTTPSyntax.isFieldValueByte(bytes[index]) else { return nil }
                    output.append(bytes[index])
                    index &+= 1
                default:
                    guard HTTPSyntax.isFieldValueByte(byte) else { return nil }
                    output.append(byte)
                }
            }
            return nil
        }
    }

    /// Parses `1#token` lists from each value in order (`Sec-WebSocket-Protocol`), or `nil` if an
    /// element is not a token.
    static func tokens(_ values: [String]) -> [String]? {
        var result: [String] = []
        for value in values {
            var value = value
            let ok = value.withUTF8 { utf8 -> Bool in
                var cursor = Cursor(UnsafeRawBufferPointer(utf8))
                while true {
                    cursor.skipWhitespace()
                    if cursor.isAtEnd { return true }
                    if cursor.consume(UInt8(ascii: ",")) { continue }
                    guard let token = cursor.token() else { return false }
                    result.append(token)
                    cursor.skipWhitespace()
                    if cursor.isAtEnd { return true }
                    guard cursor.consume(UInt8(ascii: ",")) else { return false }
                }
            }
            if !ok { return nil }
        }
        return result
    }
}
